"""The day sheet's export (`e`): written by a worker, owner-only, in the exports folder the purge covers."""

from __future__ import annotations

import stat

from tests.ui.conftest import AppFactory
from tests.ui.test_screens import _awa_at_eleven, settle


async def test_the_day_sheet_export_is_owner_only_and_off_the_ui_thread(make_app: AppFactory) -> None:
    app = make_app()
    _awa_at_eleven(app)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        folder = app.services.settings.paths.exports_dir
        target = folder / "rendez-vous-nanterre-2026-11-23.csv"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert "Awa Diallo" in target.read_text(encoding="utf-8-sig")
        assert [n.message for n in app._notifications] == [f"Exporté : {target}"]
