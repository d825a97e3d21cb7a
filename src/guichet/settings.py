"""Settings from the environment and the workstation's config file.

Precedence: command-line options > environment (``GUICHET_*``) > ``config.toml`` > defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from guichet.domain.clock import parse_local
from guichet.errors import GuichetError
from guichet.paths import Paths, default_paths, ensure_private_dir, write_private


class SettingsError(GuichetError):
    """A bad setting: the message (one line, for stderr) names the file or variable, the key and why."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What a guichet process runs with."""

    paths: Paths
    database_url: str | None = None  # None: the embedded SQLite file in paths.data_dir
    data_dir: Path | None = None  # override directory for agencies.toml / services.toml
    now: datetime | None = None  # frozen clock (demos, tests)
    agency: str | None = None  # this counter's agency id
    agent_name: str | None = None  # displayed name, e.g. "M. Martin"
    theme: str | None = None
    notice_minutes: int = 30  # minimum notice before a bookable slot
    horizon_weeks: int = 12  # how far ahead slots are offered
    retention_handoff_years: int = 2  # after the follow-up is closed (004, annex 7)
    retention_appointment_years: int = 2
    # A handoff still open (à transmettre, transmise, prise en charge) that nothing moved for this many months
    # expires at the next retention run (`guichet purge`), then goes `retention_handoff_years` later: 004 annex 7
    # keeps the data « deux ans après la clôture d'un suivi », so a follow-up must end. 12 months by default:
    # twice the longest accompaniment (« 6 mois maximum », 000 p.10). config.toml: handoff_expiry_months = 12.
    handoff_expiry_months: int = 12
    # The reception log (issue 17). A passage nothing happened in for this many minutes closes at its last action.
    passage_idle_minutes: int = 10
    # Passages hold no personal data; they are kept this many years (the current year and the two before
    # it, for the plan's year-on-year figures), then purged. config.toml: retention_passage_years = 3.
    retention_passage_years: int = 3
    # This counter's name in the reception log (config.toml or GUICHET_WORKSTATION); default: the host name.
    workstation: str | None = None
    # [keymap] of config.toml: binding id → keys ("app.agencies" = "ctrl+g"); the UI checks ids and clashes
    keymap: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.paths.database_file.as_posix()}"

    @property
    def data_override_dir(self) -> Path:
        """Where user data files are looked for: ``--data DIR`` or the config directory."""
        return self.data_dir if self.data_dir is not None else self.paths.config_dir


def _read_config(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    import tomllib  # only when the workstation has a config file

    from guichet.tomlcheck import NESTED_TOO_DEEP, too_deep

    try:
        with path.open("rb") as handle:
            config = tomllib.load(handle)
        deep = too_deep(config)  # settings nest 3 levels; the keymap and the saving walk any depth
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the configuration file: {exc}") from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        deep = True
    if deep:
        raise SettingsError(f"{path}: cannot read the configuration file: {NESTED_TOO_DEEP}")
    return config


def _opt_str(config: dict[str, object], key: str, path: Path) -> str | None:
    value = config.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SettingsError(f"{path}: {key}: expected a string")
    if not value.isprintable():  # a terminal escape or a line break would be printed as is later
        raise SettingsError(f"{path} : {key} : caractères de contrôle refusés (une seule ligne de texte).")
    return value.strip() or None


def _opt_int(config: dict[str, object], key: str, path: Path, default: int, low: int, high: int) -> int:
    value = config.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SettingsError(f"{path}: {key}: expected an integer between {low} and {high}")
    return value


def _keymap(config: dict[str, object], path: Path) -> dict[str, str]:
    """The ``[keymap]`` table: binding id → keys, comma-separated (``"f2,ctrl+g"``).

    Only its shape is checked here; the ids, the key names and the clashes need the UI's bindings
    (``guichet.ui.keys.check_keymap``). A dotted key written without quotes (``app.agencies = …``)
    is a nested table in TOML: it is read back as the id it spells.
    """
    table = config.get("keymap")
    if table is None:
        return {}
    where = f"{path} : [keymap]"
    if not isinstance(table, dict):
        raise SettingsError(f'{where} : une table est attendue, par exemple [keymap] puis "app.agencies" = "ctrl+g"')
    keymap: dict[str, str] = {}
    pending: list[tuple[str, object]] = list(table.items())
    while pending:
        binding_id, value = pending.pop(0)
        if isinstance(value, dict):
            pending[:0] = [(f"{binding_id}.{key}", inner) for key, inner in value.items()]
            continue
        shown = one_line(binding_id)
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f'{where} : « {shown} » : une touche entre guillemets est attendue, '
                                'par exemple "ctrl+g"')
        keys = [key.strip() for key in value.split(",")]
        if not all(keys):
            raise SettingsError(f"{where} : « {shown} » : touche vide dans « {one_line(value)} »")
        keymap[binding_id] = ",".join(keys)
    return keymap


def one_line(text: str) -> str:
    """Text from the config file, shown on one line whatever it holds."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``env`` (default: the process environment) and the config file."""
    env = dict(os.environ) if env is None else env
    paths = default_paths(env)
    config = _read_config(paths.config_file)
    now_text = env.get("GUICHET_NOW", "").strip()
    try:
        now = parse_local(now_text) if now_text else None
    except ValueError as exc:
        raise SettingsError(f"GUICHET_NOW: {exc}") from None
    data_dir = env.get("GUICHET_DATA", "").strip()
    return Settings(
        paths=paths,
        database_url=env.get("GUICHET_DATABASE_URL", "").strip()
        or _opt_str(config, "database_url", paths.config_file),
        data_dir=Path(data_dir) if data_dir else None,
        now=now,
        agency=_opt_str(config, "agency", paths.config_file),
        agent_name=_opt_str(config, "agent_name", paths.config_file),
        theme=_opt_str(config, "theme", paths.config_file),
        notice_minutes=_opt_int(config, "notice_minutes", paths.config_file, 30, 0, 24 * 60),
        horizon_weeks=_opt_int(config, "horizon_weeks", paths.config_file, 12, 1, 104),
        retention_handoff_years=_opt_int(config, "retention_handoff_years", paths.config_file, 2, 1, 10),
        retention_appointment_years=_opt_int(config, "retention_appointment_years", paths.config_file, 2, 1, 10),
        handoff_expiry_months=_opt_int(config, "handoff_expiry_months", paths.config_file, 12, 1, 60),
        passage_idle_minutes=_opt_int(config, "passage_idle_minutes", paths.config_file, 10, 1, 240),
        retention_passage_years=_opt_int(config, "retention_passage_years", paths.config_file, 3, 1, 10),
        workstation=(_workstation(env.get("GUICHET_WORKSTATION", ""))
                     or _opt_str(config, "workstation", paths.config_file)),
        keymap=_keymap(config, paths.config_file),
    )


def _workstation(text: str) -> str | None:
    name = text.strip()
    if not name:
        return None
    if not name.isprintable() or len(name) > 64:
        raise SettingsError("GUICHET_WORKSTATION : une ligne de 64 caractères au plus, sans caractère de contrôle.")
    return name


def with_overrides(settings: Settings, **changes: object) -> Settings:
    """A copy of ``settings`` with the non-None ``changes`` applied (command-line options)."""
    return replace(settings, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() or c == "\t" else f"\\U{ord(c):08x}" for c in escaped)
    return f'"{escaped}"'


def _toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else _toml_string(key)


def _toml_value(value: object) -> str | None:
    """A TOML scalar or array of scalars; None for what guichet does not write back (dates…)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        items = [_toml_value(item) for item in value]
        texts = [text for text in items if text is not None]
        return f"[{', '.join(texts)}]" if len(texts) == len(items) else None
    return None


def _toml_lines(values: dict[str, object], table: tuple[str, ...] = ()) -> list[str]:
    """``values`` as TOML: its keys, then its tables (``[keymap]``…), recursively."""
    lines = [f"{_toml_key(key)} = {text}" for key, value in values.items()
             if value is not None and not isinstance(value, dict) and (text := _toml_value(value)) is not None]
    for key, value in values.items():
        if isinstance(value, dict):
            path = (*table, key)
            lines += ["", f"[{'.'.join(_toml_key(part) for part in path)}]", *_toml_lines(value, path)]
    return lines


def save_workstation(settings: Settings, *, agency: str | None, agent_name: str | None, theme: str | None) -> Settings:
    """Write the workstation settings to the config file (atomically) and return the new settings.

    Keys guichet does not manage are kept as they were.
    """
    name = " ".join((agent_name or "").split())
    if len(name) > 60 or not name.isprintable():
        raise SettingsError("Le nom de l'agent doit tenir en une ligne de 60 caractères au plus, "
                            "sans caractère de contrôle.")
    path = settings.paths.config_file
    current = _read_config(path)
    values = {**current, "agency": agency, "agent_name": name or None, "theme": theme}
    lines = ["# guichet: réglages du poste (modifiables depuis l'écran Réglages)", *_toml_lines(values)]
    try:  # owner-only, atomically: it may hold the database's password
        write_private(ensure_private_dir(path.parent) / path.name, "\n".join(lines) + "\n")
    except OSError as exc:
        raise SettingsError(f"{path} : enregistrement impossible ({exc.strerror}) : rien n'a été modifié.") from None
    return replace(settings, agency=agency, agent_name=name or None, theme=theme)
