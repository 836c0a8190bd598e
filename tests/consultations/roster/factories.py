"""Roster fixtures: people on a community's roster and files as offices write them."""

import io

from openpyxl import Workbook

from consultations.roster.models import RosterPerson

HEADER = [
    "姓名",
    "身份证后六位",
    "手机号",
    "户籍状态",
    "村民小组",
    "户号",
    "户代表",
    "出生日期",
    "状态",
]


def make_person(community, full_name="张三", local_id="123456", **fields):
    values = {
        "phone": "+8617000001234",
        "residence_status": "registered",
        "group": "一组",
        "household": "",
        "is_household_representative": False,
    }
    values.update(fields)
    return RosterPerson.objects.create(
        community=community, full_name=full_name, local_id=local_id, **values
    )


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ["王秀英", "110011", "17000000001", "户籍", "一组", "H001", "是", "1950-03-01", "在住"],
    ["王建国", "110012", "17000000002", "户籍", "一组", "H001", "否", "1975-07-12", "在住"],
    ["李小红", "220021", "17000000003", "非户籍", "二组", "H002", "是", "1990/01/05", ""],
]
