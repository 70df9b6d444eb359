"""The English translation: switching languages, a complete catalogue, no unmarked Chinese.

Chinese is the source language (the msgids); English comes from src/mingjing/locale/en.
"""

import ast
import gettext as gettext_module
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import mingjing
from mingjing.cases.models import AssignmentRole, CaseStage, ParticipantRole
from mingjing.org.models import PersonStatus
from mingjing.org.roles import Role
from mingjing.oversight.models import DisclosureKind, DisclosureStatus
from mingjing.records.models import Behaviour, Category, Manner, RecordStatus, SubjectKind
from mingjing.web import tasks

SRC = Path(mingjing.__file__).resolve().parent
LOCALE = SRC / "locale" / "en" / "LC_MESSAGES"

# Chinese script, CJK punctuation (、。「」…) and full-width forms (，：（）；！？).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
HTML_LANG = re.compile(r'<html lang="([^"]+)"')


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def page_text(html: str) -> str:
    """The visible text of a page (tags, scripts and inline SVG removed)."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def without(text: str, *data: str) -> str:
    for value in data:
        text = text.replace(value, " ")
    return text


# Switching languages -------------------------------------------------------------------------


def test_home_is_chinese_by_default(cast, login):
    client = login(cast.staff)
    html = client.get(reverse("web:home")).content.decode()
    assert HTML_LANG.search(html).group(1) == "zh-CN"
    assert "我的待办" in html
    assert "My tasks" not in html


def test_home_in_english_after_switching(cast, login):
    client = login(cast.staff)
    switch_to_english(client)
    response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert HTML_LANG.search(html).group(1) == "en"
    for english in ("My tasks", "Case search", "Sign out", "Staff", "Record every inquiry"):
        assert english in html
    assert "我的待办" not in html
    # What remains Chinese is data: names of the court, department and user, and the
    # language switch's own "简体中文".
    person = cast.people["staff"]
    data = (person.name, person.court.name, person.department.name, "简体中文")
    assert not CJK.findall(without(page_text(html), *data))


def test_switching_back_to_chinese(cast, login):
    client = login(cast.staff)
    switch_to_english(client)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get(reverse("web:home")).content.decode()
    assert HTML_LANG.search(html).group(1) == "zh-CN"
    assert "我的待办" in html


def test_login_page_in_english(client, db):
    switch_to_english(client)
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert HTML_LANG.search(html).group(1) == "en"
    for english in ("Sign in to Mingjing", "Username", "Password", "Sign in"):
        assert english in html
    assert not CJK.findall(without(page_text(html), "简体中文"))


def test_login_error_in_english(client, cast):
    switch_to_english(client)
    response = client.post(
        reverse("accounts:login"), {"username": "staff", "password": "not the password"}
    )
    assert "Incorrect username or password" in response.content.decode()


def test_choice_labels_in_english(cast, login, records):
    client = login(cast.staff)
    switch_to_english(client)
    record = client.get(reverse("records:detail", args=[records.own.id])).content.decode()
    assert "Submitted" in record  # RecordStatus, a lazy label
    case = client.get(reverse("cases:detail", args=[cast.case.id])).content.decode()
    assert "Judge in charge" in case  # AssignmentRole, a lazy label
    assert "Plaintiff" in case and "Filed" in case  # labels kept Chinese, translated when shown


# The catalogue -------------------------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural and the msgstrs."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": []}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if field == "msgstr":
                    entry["msgstr"][-1] += ast.literal_eval(line)
                else:
                    entry[field] += ast.literal_eval(line)
            else:
                keyword, value = line.split(" ", 1)
                field = "msgstr" if keyword.startswith("msgstr") else keyword
                if field == "msgstr":
                    entry["msgstr"].append(ast.literal_eval(value))
                else:
                    entry[field] = ast.literal_eval(value)
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    entries = parse_po(LOCALE / "django.po")
    header, *messages = entries
    assert header["msgid"] == ""
    assert "Language: en" in header["msgstr"][0]
    return messages


def test_catalogue_is_complete(po_entries):
    assert len(po_entries) > 200
    untranslated = [e["msgid"] for e in po_entries if not all(s.strip() for s in e["msgstr"])]
    assert not untranslated
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    assert not fuzzy
    assert all(len(e["msgstr"]) == 2 for e in po_entries if e["msgid_plural"] is not None)


def test_translations_are_english_with_the_same_placeholders(po_entries):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in po_entries:
        for msgstr in entry["msgstr"]:
            assert sorted(placeholder.findall(msgstr)) == sorted(
                placeholder.findall(entry["msgid"])
            ), entry["msgid"]
            # Chinese may remain only as example input (case numbers such as 民初123).
            chinese = CJK.findall(re.sub(r"（\d{4}）[^；。\s]*?号|“?民初\d*”?", "", msgstr))
            assert not chinese, (entry["msgid"], msgstr)


def test_compiled_catalogue_matches_the_po(po_entries):
    with (LOCALE / "django.mo").open("rb") as mo:
        catalog = gettext_module.GNUTranslations(mo)._catalog
    for entry in po_entries:
        key = entry["msgid"]
        if entry["msgctxt"] is not None:
            key = f"{entry['msgctxt']}\x04{key}"
        if entry["msgid_plural"] is None:
            assert catalog.get(key) == entry["msgstr"][0], "run compilemessages"
        else:
            assert [catalog.get((key, n)) for n in (0, 1)] == entry["msgstr"], "compilemessages"


MARKED_IN_PYTHON = [
    *(label for _value, label in Role.choices),
    *PersonStatus.labels,
    *CaseStage.labels,
    *ParticipantRole.labels,
    *AssignmentRole.labels,
    *Category.labels,
    *Behaviour.labels,
    *Manner.labels,
    *SubjectKind.labels,
    *RecordStatus.labels,
    *DisclosureKind.labels,
    *DisclosureStatus.labels,
    *tasks._EMPTY.values(),
]


def test_labels_from_python_have_translations():
    with translation.override("zh-hans"):
        chinese = [str(label) for label in MARKED_IN_PYTHON]
    with translation.override("en"):
        missing = [text for text in chinese if translation.gettext(text) == text]
    assert not missing


# Templates: no Chinese outside {% translate %} / {% blocktranslate %} ----------------------------

# Templates allowed to contain Chinese, each with the reason.
UNTRANSLATED_TEMPLATES = {
    # Rendered without context processors when the server has failed; deliberately static.
    "web/templates/web/500.html",
    # Rendered without the request's context: the request itself (its Host header, its body,
    # its CSRF token) is what failed; deliberately static, like 500.html.
    "web/templates/web/400.html",
    "web/templates/web/403_csrf.html",
}

MARKED = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}"  # block, with body
    r"|{%\s*trans(?:late)?\s.*?%}"  # {% translate "…" %}, {% translate "…" as x %}
    r"|{#.*?#}"  # comments
    r"|{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}",
    re.S,
)


def unmarked_chinese(source: str) -> list[tuple[int, str]]:
    """(line, text) for each run of Chinese outside translate tags, blocks and comments."""
    # Blank the marked spans out, keeping their newlines so that line numbers stay right.
    blanked = MARKED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    found = []
    for number, line in enumerate(blanked.splitlines(), 1):
        for run in re.finditer(rf"{CJK.pattern}+", line):
            found.append((number, run.group(0)))
    return found


@pytest.mark.parametrize(
    "source, expected",
    [
        ('<p>{% translate "明镜" %}</p>', []),
        ("<p>{% trans '明镜' as title %}{{ title }}</p>", []),
        ("{% blocktranslate with n=x %}第 {{ n }} 页{% endblocktranslate %}", []),
        ("{% blocktrans count n=x %}一件{% plural %}{{ n }} 件{% endblocktrans %}", []),
        ("{# 注释 #}{% comment %}\n说明\n{% endcomment %}", []),
        ("<p>明镜</p>", [(1, "明镜")]),
        ('<p>{% translate "密钥" %}：{{ secret }}</p>', [(1, "：")]),
        ('<input placeholder="案号">', [(1, "案号")]),
        ('{{ value|default:"无" }}', [(1, "无")]),
        ("{% blocktranslate %}甲{% endblocktranslate %}\n乙{% translate '丙' %}", [(2, "乙")]),
        ("<p>Case (2026)</p><p>{{ a }}, {{ b }}</p>", []),
    ],
)
def test_scan_finds_unmarked_chinese(source, expected):
    assert unmarked_chinese(source) == expected


def template_files() -> list[Path]:
    return sorted(SRC.glob("*/templates/**/*.html"))


def test_the_scan_sees_the_templates():
    names = {path.relative_to(SRC).as_posix() for path in template_files()}
    assert {"web/templates/web/base.html", "web/templates/web/home.html"} <= names
    assert UNTRANSLATED_TEMPLATES <= names, "stale entry in UNTRANSLATED_TEMPLATES"


@pytest.mark.parametrize(
    "path",
    [p for p in template_files() if p.relative_to(SRC).as_posix() not in UNTRANSLATED_TEMPLATES],
    ids=lambda path: path.relative_to(SRC).as_posix(),
)
def test_template_has_no_unmarked_chinese(path):
    assert unmarked_chinese(path.read_text(encoding="utf-8")) == []
