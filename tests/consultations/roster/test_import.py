"""Importing the roster the office keeps: encodings, mapping, dry run, duplicates, updates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageLogEntry

from consultations.roster.models import RosterImport, RosterPerson
from consultations.roster.operations import (
    RosterError,
    apply_import,
    guess_mapping,
    plan_import,
    read_import,
    store_upload,
)
from consultations.roster.tabular import read_table
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.roster.factories import (
    GOOD_ROWS,
    HEADER,
    csv_bytes,
    make_person,
    xlsx_bytes,
)


def upload(community, content, name, user):
    roster_import, headers = store_upload(community, SimpleUploadedFile(name, content), user)
    return roster_import, guess_mapping(headers)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_gbk_imports_the_same(tree, editor_a, encoding):
    roster_import, mapping = upload(
        tree.a, csv_bytes(GOOD_ROWS, encoding=encoding), "r.csv", editor_a
    )
    plan = apply_import(roster_import, mapping, editor_a)
    assert len(plan.to_add) == 3 and not plan.rejected
    wang = RosterPerson.objects.get(community=tree.a, full_name="王秀英")
    assert wang.phone == "+8617000000001"
    assert wang.is_household_representative and wang.household == "H001"
    assert wang.date_of_birth.isoformat() == "1950-03-01"
    li = RosterPerson.objects.get(community=tree.a, full_name="李小红")
    assert li.residence_status == "non_registered" and li.status == "living"


def test_xlsx_imports(tree, editor_a):
    roster_import, mapping = upload(tree.a, xlsx_bytes(GOOD_ROWS), "roster.xlsx", editor_a)
    plan = apply_import(roster_import, mapping, editor_a)
    assert len(plan.to_add) == 3
    assert RosterPerson.objects.filter(community=tree.a).count() == 3


def test_the_header_names_are_mapped_to_fields():
    mapping = guess_mapping(HEADER)
    assert mapping[0] == "full_name" and mapping[1] == "local_id" and mapping[2] == "phone"
    assert mapping[6] == "is_household_representative"
    assert guess_mapping(["Full name", "Local identifier", "Residence status"]) == {
        0: "full_name",
        1: "local_id",
        2: "residence_status",
    }


def test_bad_rows_are_rejected_with_their_row_number_and_reason(tree, editor_a):
    rows = [
        GOOD_ROWS[0],
        ["", "330031", "17000000009", "户籍", "", "", "", "", ""],  # no name
        ["赵六", "440041", "not-a-phone", "户籍", "", "", "", "", ""],
        ["钱七", "550051", "", "外星", "", "", "", "", ""],
        ["孙八", "660061", "", "户籍", "", "", "", "1960-13-40", ""],
    ]
    roster_import, mapping = upload(tree.a, csv_bytes(rows), "r.csv", editor_a)
    with translation.override("en"):
        plan = apply_import(roster_import, mapping, editor_a)
    assert len(plan.to_add) == 1
    rejected = dict(plan.rejected)
    assert set(rejected) == {3, 4, 5, 6}
    assert "Full name" in rejected[3]
    assert "mobile number" in rejected[4]
    assert "外星" in rejected[5]
    assert "1960-13-40" in rejected[6]


def test_duplicates_in_the_file_are_reported_not_merged(tree, editor_a):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]]
    roster_import, mapping = upload(tree.a, csv_bytes(rows), "r.csv", editor_a)
    _headers, data = read_import(roster_import)
    plan = plan_import(tree.a, data, mapping)
    assert [number for number, _reason in plan.rejected] == [4]
    assert "2" in plan.rejected[0][1]


def test_a_second_representative_of_a_household_is_rejected(tree, editor_a):
    make_person(tree.a, "周老伯", "999999", household="H001", is_household_representative=True)
    roster_import, mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    plan = apply_import(roster_import, mapping, editor_a)
    assert [n for n, _r in plan.rejected] == [2]
    assert "周老伯" in plan.rejected[0][1]


def test_a_reimport_updates_the_entries_it_matches(tree, editor_a):
    first, mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    apply_import(first, mapping, editor_a)
    changed = [list(row) for row in GOOD_ROWS]
    changed[1][2] = "17000000022"
    changed[2][8] = "迁出"
    second, mapping = upload(tree.a, csv_bytes(changed), "r2.csv", editor_a)
    plan = apply_import(second, mapping, editor_a)
    assert len(plan.to_add) == 0 and plan.unchanged == 1
    assert sorted(n for n, _p, _c in plan.to_update) == [3, 4]
    assert RosterPerson.objects.get(full_name="王建国").phone == "+8617000000022"
    assert RosterPerson.objects.get(full_name="李小红").status == "moved"
    assert RosterPerson.objects.filter(community=tree.a).count() == 3


def test_the_dry_run_changes_nothing(tree, editor_a):
    roster_import, mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    _headers, rows = read_import(roster_import)
    plan = plan_import(tree.a, rows, mapping)
    assert len(plan.to_add) == 3
    assert not RosterPerson.objects.exists()


def test_a_file_that_conflicts_leaves_no_half_import(tree, editor_a, monkeypatch):
    """An entry added by someone else while the file is applied: the whole file is undone."""
    roster_import, mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    from consultations.roster import operations

    original = operations.RosterPerson.objects.bulk_create

    def conflicting_insert(objs, **kwargs):
        original(objs[:1], **kwargs)
        return original(objs, **kwargs)  # the first row again: the unique key refuses it

    monkeypatch.setattr(operations.RosterPerson.objects, "bulk_create", conflicting_insert)
    with pytest.raises(RosterError):
        apply_import(roster_import, mapping, editor_a)
    assert not RosterPerson.objects.exists()
    assert RosterImport.objects.get(pk=roster_import.pk).applied_at is None


def test_an_unreadable_file_is_refused(tree, editor_a):
    with pytest.raises(RosterError):
        store_upload(tree.a, SimpleUploadedFile("r.xlsx", b"not a workbook"), editor_a)


def test_a_mapping_without_the_required_columns_is_refused(tree, editor_a):
    roster_import, _mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    _headers, rows = read_import(roster_import)
    with pytest.raises(RosterError):
        plan_import(tree.a, rows, {0: "full_name"})


def test_read_table_reads_gbk_headers():
    headers, rows = read_table(csv_bytes(GOOD_ROWS, encoding="gbk"), "x.csv")
    assert headers == HEADER and rows[0][0] == "王秀英"


# --- through the admin -------------------------------------------------------------------


def test_the_admin_import_previews_then_applies(client, tree, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("roster_admin:upload", args=[tree.a.pk]),
        {"file": SimpleUploadedFile("roster.csv", csv_bytes(GOOD_ROWS, encoding="gbk"))},
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    response = client.get(preview_url)
    assert response.status_code == 200
    assert "王秀英" in response.content.decode()
    assert not RosterPerson.objects.exists()
    mapping = {f"col_{i}": field for i, field in guess_mapping(HEADER).items()}
    response = client.post(preview_url, {**mapping, "apply": "1"})
    assert response.status_code == 302
    assert RosterPerson.objects.filter(community=tree.a).count() == 3
    entry = PageLogEntry.objects.get(action="consultations.roster.import")
    assert entry.data["added"] == 3 and entry.user == editor_a


def test_a_mapping_using_one_field_twice_is_a_400(client, tree, editor_a):
    client.force_login(editor_a)
    roster_import, _mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    response = client.post(
        reverse("roster_admin:import_preview", args=[tree.a.pk, roster_import.pk]),
        {"col_0": "full_name", "col_1": "full_name"},
    )
    assert response.status_code == 400


def test_staff_of_another_community_cannot_import(client, tree, editor_b):
    client.force_login(editor_b)
    response = client.get(reverse("roster_admin:upload", args=[tree.a.pk]))
    assert_admin_refused(response)


def test_export_reads_back_unchanged_and_is_logged(client, tree, editor_a):
    roster_import, mapping = upload(tree.a, csv_bytes(GOOD_ROWS), "r.csv", editor_a)
    apply_import(roster_import, mapping, editor_a)
    client.force_login(editor_a)
    for file_format in ("csv", "xlsx"):
        response = client.get(reverse("roster_admin:export", args=[tree.a.pk, file_format]))
        assert response.status_code == 200
        again, mapping = upload(tree.a, response.content, f"export.{file_format}", editor_a)
        _headers, rows = read_import(again)
        plan = plan_import(tree.a, rows, mapping)
        assert plan.unchanged == 3 and not plan.to_add and not plan.to_update, plan
    assert PageLogEntry.objects.filter(action="consultations.roster.export").count() == 2
