"""Seed 四(五) from the outside: as every role, follow every link and open every download, and
no sealed content ever reaches someone who may not read it (issue 8).

The court holds records with unique markers in every sealed place (tests/security/
crawl_world.py), naming colleagues picked from the staff list and typed as free text. Each
member of the cast, and an anonymous visitor, starts at the home page and follows every
same-site link breadth-first (GET only), opens every download (PDF, DOCX, XLSX: their text is
extracted) and walks the JSON API with a token of his own; then each opens every object page
and download that any other role found (a guessed URL), passing the re-authentication page
with his password when sent there. A marker found where its record's reader list does not
allow it is a leak; each marker must also reach its recorder (and the custodian, president and
head reach all they may read), so a crawl that found nothing fails rather than passes.

The summary (roles x pages, downloads, markers seen, leaks) is printed and written to
var/crawler-summary.txt.
"""

import io
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from mingjing.org.models import Department
from mingjing.records.models import Record
from mingjing.security.authn import api_token_create
from tests.conftest import PASSWORD, ROLE_USERS, login_as
from tests.security import crawl_world

ANONYMOUS = "anonymous"
ROLES = [*ROLE_USERS, ANONYMOUS]
MAX_PAGES = 400  # per role, web pages and downloads together
MAX_QUERY_VARIANTS = 3  # per path: month navigation and filters do not go on for ever
MAX_ADMIN_PER_SHAPE = 2  # per admin URL shape (ids as N): two change pages of each model
# Links that would change state or end the session (state changes are POST; belt and braces).
SKIP = re.compile(r"/logout|/delete/|/revoke/|/submit/|/remind/|/assemble/|read-all|/i18n/")
MARKER = re.compile(r"QZ\d\d[A-Z]X")
# Pages each crawl must at least reach: the cast's pages plus what the matrix says they open.
MIN_PAGES = {ANONYMOUS: 2, "outsider": 4, "supervisor": 4, "sysadmin": 10}
MIN_PAGES_DEFAULT = 12
MIN_PROBES = 20  # object pages found by others, opened by each role (custodian: fewest)
MIN_API_CALLS = 40
SUMMARY = Path(__file__).resolve().parents[2] / "var" / "crawler-summary.txt"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "area"):
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def text_of(response) -> tuple[str, str]:
    """(kind, text) of a response: HTML/JSON/text as is, PDF/DOCX/XLSX extracted."""
    kind = response.get("Content-Type", "").split(";")[0].strip()
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "pdf", "\n".join(page.extract_text() or "" for page in reader.pages)
    if kind.endswith("wordprocessingml.document"):
        import docx

        document = docx.Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "docx", "\n".join([p.text for p in document.paragraphs] + cells)
    if kind.endswith("spreadsheetml.sheet"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        values = [
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
        ]
        return "xlsx", "\n".join(v for v in values if v != "None")
    label = "html" if kind == "text/html" else ("json" if "json" in kind else "file")
    return label, body.decode("utf-8", errors="replace")


@dataclass
class Crawl:
    role: str
    pages: int = 0
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    api_calls: int = 0
    probes: int = 0
    seconds: Counter = field(default_factory=Counter)  # phase -> seconds
    reauths: int = 0
    # marker -> first URL it was seen at, per channel
    web_seen: dict = field(default_factory=dict)
    api_seen: dict = field(default_factory=dict)
    visited: list = field(default_factory=list)
    found_in: dict = field(default_factory=dict)  # kind (html, pdf, ...) -> markers


def _note(seen: dict, url: str, text: str) -> None:
    for found in MARKER.findall(text):
        seen.setdefault(found, url)


def _reauth(client, crawl: Crawl, location: str):
    """Confirm the password as the user would on the re-authentication page."""
    response = client.post(location, {"password": PASSWORD})
    crawl.reauths += 1
    return response


def _get(client, crawl: Crawl, url: str):
    """GET as the user would: through the re-authentication page when sent there."""
    response = client.get(url)
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    if location.startswith(reverse("accounts:reauth")) and crawl.role != ANONYMOUS:
        _reauth(client, crawl, location)
        response = client.get(url)
        location = response.get("Location", "") if response.status_code in (301, 302) else ""
    kind, text = text_of(response)
    _note(crawl.web_seen, url, text)
    crawl.found_in.setdefault(kind, set()).update(MARKER.findall(text))
    return response, location, kind, text


def crawl_web(client, crawl: Crawl) -> None:
    queue, seen, variants = deque(["/"]), {"/"}, Counter()
    while queue and crawl.pages < MAX_PAGES:
        url = queue.popleft()
        response, location, kind, text = _get(client, crawl, url)
        crawl.pages += 1
        crawl.statuses[response.status_code] += 1
        crawl.kinds[kind] += 1
        crawl.visited.append((url, response.status_code, kind))
        found = links(url, text) if kind == "html" else []
        if location:
            found.append(location)
        for link in found:
            path, _, query = link.partition("?")
            if link in seen or SKIP.search(path):
                continue
            if query and variants[path] >= MAX_QUERY_VARIANTS:
                continue
            if path.startswith("/admin/"):
                # Django's admin: every list and form once, not every row, sort or filter.
                shape = re.sub(r"\d+", "N", path)
                if query or variants[shape] >= MAX_ADMIN_PER_SHAPE:
                    continue
                variants[shape] += 1
            seen.add(link)
            variants[path] += bool(query)
            queue.append(link)


def probe(client, crawl: Crawl, urls: list[str]) -> None:
    """Open the object pages and downloads other roles found, as a guessed URL would be."""
    mine = {url for url, _, _ in crawl.visited}
    for url in urls:
        if url in mine:
            continue
        response, _, kind, _ = _get(client, crawl, url)
        crawl.probes += 1
        crawl.statuses[f"probe {response.status_code}"] += 1


def object_urls(crawls) -> list[str]:
    """Pages of one object (an id in the path) and downloads found by any crawl, admin aside."""
    found = {}  # path -> one URL (month and filter variants of one page add nothing here)
    for crawl in crawls.values():
        for url, status, kind in crawl.visited:
            path = url.partition("?")[0]
            if status != 200 or path.startswith("/admin/") or path.endswith("receipt.json"):
                continue  # a digest, never contents: test_receipts.py
            if re.search(r"/\d+", path) or kind in ("pdf", "docx", "xlsx", "file"):
                found.setdefault(path, url)
    return sorted(found.values())


def crawl_api(client, crawl: Crawl, world) -> None:
    """Every list and detail endpoint, for every record, case and department of the data."""
    headers = {}
    if crawl.role != ANONYMOUS:
        _, secret = api_token_create(user=world.cast.users[crawl.role], name="crawler")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    api = "/api/v1/"
    paths = ["me", "records", "cases", "reports", "openapi.json"]
    for record_id in world.record_ids:
        paths += [f"records/{record_id}", f"records/{record_id}/amendments"]
    for case_id in world.case_ids:
        paths += [
            f"cases/{case_id}",
            f"declarations/cases/{case_id}",
            f"declarations/cases/{case_id}/close-check",
        ]
    paths += [f"reports/departments/{d}" for d in world.department_ids]
    for path in paths:
        response = client.get(api + path, **headers)
        crawl.api_calls += 1
        crawl.statuses[f"api {response.status_code}"] += 1
        if response.status_code == 200 and path == "records":
            listed = {row["id"] for row in response.json()["results"]}
            crawl.kinds["api records listed"] = len(listed)
        _note(crawl.api_seen, api + path, response.content.decode("utf-8", errors="replace"))


@dataclass
class World:
    cast: object
    specs: list
    record_ids: list
    case_ids: list
    department_ids: list
    owner: dict  # marker -> spec


@pytest.fixture
def world(cast) -> World:
    specs = crawl_world.build(cast)
    owner = {m: spec for spec in specs for m in spec.markers}
    return World(
        cast=cast,
        specs=specs,
        record_ids=sorted(Record.objects.values_list("id", flat=True)),
        case_ids=[cast.case.id, cast.other_case.id],
        department_ids=sorted(Department.objects.values_list("id", flat=True)),
        owner=owner,
    )


def _timed(crawl: Crawl, phase: str, function, *args) -> None:
    started = time.monotonic()
    function(*args)
    crawl.seconds[phase] += time.monotonic() - started


def _run(world: World) -> dict[str, Crawl]:
    crawls, clients = {}, {}
    for role in ROLES:
        clients[role] = client = Client()
        if role != ANONYMOUS:
            login_as(client, world.cast.users[role], reauthenticated=False)
        crawls[role] = crawl = Crawl(role)
        _timed(crawl, "web", crawl_web, client, crawl)
        _timed(crawl, "api", crawl_api, Client(), crawl, world)
    urls = object_urls(crawls)
    for role in ROLES:
        _timed(crawls[role], "probe", probe, clients[role], crawls[role], urls)
    return crawls


def _leaks(world: World, crawls: dict[str, Crawl]) -> list[str]:
    leaks = []
    for role, crawl in crawls.items():
        for channel, seen in (("web", crawl.web_seen), ("api", crawl.api_seen)):
            for found, url in sorted(seen.items()):
                spec = world.owner.get(found)
                if spec is None:
                    leaks.append(f"{role} {channel} {url}: unknown marker {found}")
                elif role not in spec.allowed:
                    field_name = crawl_world.MARKER_FIELDS[found[4]]
                    leaks.append(
                        f"{role} {channel} {url}: {found} ({field_name}) of record "
                        f"#{spec.record.id}, {spec.about}"
                    )
    return leaks


def _summary(world: World, crawls: dict[str, Crawl], leaks: list[str], seconds: float) -> str:
    lines = [f"crawler: {len(crawls)} roles in {seconds:.1f} s", ""]
    lines.append(
        f"{'role':12} {'pages':>5} {'probes':>6} {'api':>4} {'reauth':>6}  kinds | statuses"
    )
    for role, crawl in crawls.items():
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(crawl.kinds.items()))
        kinds += " | " + ", ".join(f"{k} {n:.1f} s" for k, n in crawl.seconds.items())
        statuses = ", ".join(f"{k}: {n}" for k, n in sorted(crawl.statuses.items(), key=str))
        lines.append(
            f"{role:12} {crawl.pages:5} {crawl.probes:6} {crawl.api_calls:4} {crawl.reauths:6}"
            f"  {kinds} | {statuses}"
        )
    lines += ["", "markers seen (web+api) per record:"]
    for spec in world.specs:
        seen_by = sorted(
            role
            for role, crawl in crawls.items()
            if set(spec.markers) & (set(crawl.web_seen) | set(crawl.api_seen))
        )
        lines.append(
            f"  #{spec.record.id} {spec.key} {spec.about}: allowed {sorted(spec.allowed)};"
            f" seen by {seen_by}"
        )
    lines += ["", f"leaks: {len(leaks)}", *(f"  {leak}" for leak in leaks)]
    return "\n".join(lines) + "\n"


def _recorder_problems(world: World, crawls: dict[str, Crawl]) -> list[str]:
    """Each marker reaches its recorder on the web; content markers through the API too."""
    problems = []
    for spec in world.specs:
        # A draft's files are listed on its form without a download link.
        planted = [m for m in spec.markers if spec.submit or not m.endswith("BX")]
        missing = set(planted) - set(crawls[spec.recorder].web_seen)
        if missing:
            problems.append(f"{spec.recorder} never saw {sorted(missing)} of {spec.about} (web)")
        wanted = {crawl_world.marker(spec.key, letter) for letter in "CHUPL"}
        missing = wanted - set(crawls[spec.recorder].api_seen)
        if missing:
            problems.append(f"{spec.recorder} never saw {sorted(missing)} of {spec.about} (api)")
    return problems


def _reader_problems(world: World, crawls: dict[str, Crawl]) -> list[str]:
    """The custodian, the president and the head reach every record they may read: a crawl
    that stopped at the listings would not put the exclusions to the test."""
    problems = []
    for role in ("custodian", "approver", "head"):
        seen = set(crawls[role].web_seen)
        for spec in world.specs:
            if role in spec.allowed and not set(spec.markers) <= seen:
                problems.append(f"{role} never reached {spec.about}, which he may read")
    return problems


def _page_problems(crawls: dict[str, Crawl]) -> list[str]:
    problems = []
    for role, crawl in crawls.items():
        wanted = MIN_PAGES.get(role, MIN_PAGES_DEFAULT)
        if crawl.pages < wanted or crawl.statuses[200] < 1:
            problems.append(f"{role}: only {crawl.pages} pages ({crawl.statuses[200]} with 200)")
        if crawl.probes < MIN_PROBES or crawl.api_calls < MIN_API_CALLS:
            problems.append(f"{role}: only {crawl.probes} probes, {crawl.api_calls} API calls")
        errors = [url for url, status, _ in crawl.visited if status >= 500]
        if errors:
            problems.append(f"{role}: server errors at {errors}")
    return problems


def _form_problems(world: World, crawls: dict[str, Crawl]) -> list[str]:
    """The 一案一表 PDF and DOCX were opened by the case's handler and by the head, and the
    handler found his records' contents in their extracted text."""
    problems = []
    on_case = [s for s in world.specs if s.recorder == "staff" and s.submit and s.on_case]
    wanted = {crawl_world.marker(s.key, "C") for s in on_case}
    for kind in ("pdf", "docx"):
        for role in ("staff", "head"):
            if not any(k == kind and status == 200 for _, status, k in crawls[role].visited):
                problems.append(f"{role} opened no {kind}")
        missing = wanted - crawls["staff"].found_in.get(kind, set())
        if missing:
            problems.append(f"staff's {kind} lacks {sorted(missing)}")
    return problems


def test_no_marker_reaches_a_role_that_may_not_read_it(world):
    started = time.monotonic()
    crawls = _run(world)
    leaks = _leaks(world, crawls)
    text = _summary(world, crawls, leaks, time.monotonic() - started)
    print(text)
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text(text, encoding="utf-8")
    problems = (
        _recorder_problems(world, crawls)
        + _reader_problems(world, crawls)
        + _page_problems(crawls)
        + _form_problems(world, crawls)
    )
    assert problems == [], "the crawl itself fell short:\n" + "\n".join(problems)
    assert leaks == [], "markers reached roles that may not read them:\n" + "\n".join(leaks)
