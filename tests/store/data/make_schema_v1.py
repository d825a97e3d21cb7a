"""Make the schema-v1 database kept by the upgrade test (run once, with the v1 code)."""
import sys, tempfile, shutil
sys.path.insert(0, ".")
from pathlib import Path
from datetime import datetime
from tests.conftest import make_settings, FIXED_NOW
from guichet.services import make_services
from guichet.domain.clock import FixedClock, PARIS
from guichet.domain.models import Kind, Channel, Status, LifeEvent
from guichet.booking import BookingRequest
from guichet.domain.handoff import HandoffDraft, Contact, HandoffStatus, Specificity
root = Path(tempfile.mkdtemp())
svc = make_services(make_settings(root), clock=FixedClock(FIXED_NOW))
b = svc.booking
a1 = b.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE, datetime(2026,11,23,13,0,tzinfo=PARIS), "Awa Diallo", "1234567", "0612345678", "apl-non-versee", "Comprendre l'arrêt de l'APL"))
a2 = b.book(BookingRequest("chatenay-malabry", Kind.CSU, Channel.AGENCE, datetime(2026,11,24,9,0,tzinfo=PARIS), "Jean Dupont", None, None))
a3 = b.book(BookingRequest("montrouge", Kind.GCA, Channel.AGENCE, datetime(2026,11,25,9,0,tzinfo=PARIS), "Li Wei", "7654321", None))
b.set_status(a3.id, Status.EXCUSED)
b.reschedule(a2.id, datetime(2026,11,24,9,30,tzinfo=PARIS))
h1 = svc.handoffs.create(HandoffDraft(name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement", comment="ASF non versée depuis août.", benefits=("ASF","APL"), file_number="1234567", phone="0612345678", event_date=datetime(2026,6,1).date(), non_payment_since=datetime(2026,8,1).date(), specificities=(Specificity.ALLOPHONE,), consent=True))
svc.handoffs.set_status(h1.id, HandoffStatus.TRANSMISE)
h2 = svc.handoffs.create(HandoffDraft(name="Refus Test", life_event=LifeEvent.DECES_PARENT, motifs="", comment="", consent=False))
svc.close()
src = root / "data" / "guichet.sqlite3"
import sqlite3
con = sqlite3.connect(src); con.execute("PRAGMA wal_checkpoint(TRUNCATE)"); con.execute("PRAGMA journal_mode=DELETE"); con.close()
shutil.copy(src, "tests/store/data/schema_v1.sqlite3")
print("ok", a1.id, a2.id, a3.id, h1.id, h2.id)
