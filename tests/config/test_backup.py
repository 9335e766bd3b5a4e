"""The documented backup and restore (scripts/backup.sh, scripts/restore.sh) round-trip: a dump restored into a
fresh database holds the consent ledger intact and a schema Django accepts; the media come back byte for byte."""

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from outreach.consent.ledger import record_consent
from outreach.models import Channel, ConsentRecord, Purpose
from tests.outreach.factories import make_contact
from tests.support import processes as support

pytestmark = pytest.mark.django_db(transaction=True)
LEDGER = "SELECT * FROM outreach_consentrecord ORDER BY id"


def rows(url, sql):
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def fresh_database():
    source = support.test_database_url()
    name = f"{urlsplit(source).path.lstrip('/')}_restore_{uuid.uuid4().hex[:6]}"
    admin = urlsplit(source)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlsplit(source)._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, **env):
    environment = {**os.environ, **env}
    result = subprocess.run(
        ["sh", str(support.ROOT / "scripts" / script), *map(str, args)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()


def test_a_dump_restores_into_a_fresh_database_with_the_consent_ledger_intact(tmp_path, fresh_database):
    contact = make_contact()
    record_consent(contact, Channel.SMS, Purpose.EDUCATION, True, ConsentRecord.Source.API, wording="Texts: yes")
    record_consent(contact, Channel.SMS, Purpose.EDUCATION, False, ConsentRecord.Source.KEYWORD, wording="STOP")
    source = support.test_database_url()
    ledger = rows(source, LEDGER)
    assert len(ledger) >= 4

    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    image = bytes(range(256)) * 64
    (media / "original_images" / "clinic.png").write_bytes(image)

    dump, tarball = run("backup.sh", tmp_path / "backups", DATABASE_URL=source, MEDIA_ROOT=media)
    assert dump.endswith(".dump") and tarball.endswith(".tar.gz")
    assert oct(os.stat(dump).st_mode)[-3:] == "600"  # patient data: owner only

    restored_media = tmp_path / "restored-media"
    run("restore.sh", dump, tarball, DATABASE_URL=fresh_database, MEDIA_ROOT=restored_media)

    assert rows(fresh_database, LEDGER) == ledger
    assert (restored_media / "original_images" / "clinic.png").read_bytes() == image
    # Django sees a fully migrated schema in the restored database.
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=support.ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "TEST_DATABASE_URL": fresh_database},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_damaged_dump_is_refused_before_anything_is_restored(tmp_path, fresh_database):
    make_contact()
    dump, _ = run(
        "backup.sh", tmp_path / "backups", DATABASE_URL=support.test_database_url(), MEDIA_ROOT=tmp_path / "media"
    )
    with open(dump, "r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00" * 16)
    result = subprocess.run(
        ["sh", str(support.ROOT / "scripts" / "restore.sh"), dump],
        env={**os.environ, "DATABASE_URL": fresh_database},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert rows(fresh_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
