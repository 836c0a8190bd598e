"""`make run` output a newcomer can read: the logins table lines up with Chinese names."""

from consultations.management.commands.load_demo import clip, table, width


def test_double_width_characters_take_two_columns():
    assert width("青石村") == 6
    assert width("admin") == 5


def test_the_logins_table_lines_up_with_chinese_names():
    lines = table(
        [
            ("role", "email", "password"),
            ("community editor (青石村)", "editor@example.com", "x"),
            ("superuser (admin)", "admin@example.com", "y"),
        ]
    )
    # The second column starts at the same terminal column on every line.
    firsts = ["email", "editor@", "admin@"]
    columns = {width(line[: line.find(cell)]) for line, cell in zip(lines, firsts, strict=True)}
    assert len(columns) == 1


def test_long_subjects_are_clipped_to_the_width():
    assert width(clip("此“桃源村路灯安装协商成果公告”页面已经被提交到审核阶段", 20)) <= 20
    assert clip("short", 20) == "short"
