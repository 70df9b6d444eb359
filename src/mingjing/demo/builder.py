"""The demo court: two courts, departments, people, accounts, cases (DESIGN.md section 7).

Everything is derived from `random.Random(seed)`, so a second run plans exactly what the first
one did; rows are matched on their natural keys (court code, department code, staff number,
username, case number) and only the missing or different ones are written. Passwords and TOTP
secrets of accounts that already exist are left alone unless `reset_passwords` is given.

Dates are fixed (`FIRST_DAY`..`LAST_DAY`) rather than relative to today, so the demo stays the
same whichever day it is rebuilt.
"""

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from mingjing.accounts.models import User
from mingjing.cases.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStage,
    Participant,
    ParticipantRole,
)
from mingjing.declarations.services import declarations_sync
from mingjing.org.models import Court, Department, Person, PersonStatus, RoleAssignment
from mingjing.org.roles import CONTENT_ROLES, Role
from mingjing.security.grants import role_grant_bootstrap

DEMO_PASSWORD = "mingjing-demo"
DEFAULT_SEED = 2026
FIRST_DAY = date(2025, 1, 2)
LAST_DAY = date(2026, 11, 20)

HIGHER_COURT = ("豫90", "济源中级人民法院（演示）", "济源中院")
DEMO_COURT = ("豫9001", "济源市人民法院（演示）", "济源法院")

DEPARTMENTS = [
    ("LA", "立案庭"),
    ("MY1", "民事审判第一庭"),
    ("MY2", "民事审判第二庭"),
    ("XS", "刑事审判庭"),
    ("XZ", "行政审判庭"),
    ("ZX", "执行局"),
    ("SJ", "审判监督庭"),
    ("ZH", "综合办公室（督察室）"),
    ("ZZ", "政治部"),
    ("SG", "审判管理办公室"),
    ("FJ", "司法警察大队"),
]
HIGHER_DEPARTMENTS = [("DC", "督察室")]


# --- People -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    """One member of staff as the demo wants him; `username` set means a named demo account."""

    department: str | None
    position: str
    username: str = ""
    roles: tuple[str, ...] = ()
    head: bool = False
    leader: bool = False
    oversees: tuple[str, ...] = ()
    status: str = PersonStatus.SERVING
    status_date: date | None = None

    def all_roles(self) -> tuple[str, ...]:
        """Named accounts carry their roles; others are staff, plus head or leader."""
        if self.roles:
            return self.roles
        extra = (Role.DEPT_HEAD,) * self.head + (Role.LEADER,) * self.leader
        return (Role.STAFF, *extra)


def _spec(department: str | None, position: str, count: int = 1, **kw) -> list[PersonSpec]:
    return [PersonSpec(department, position, **kw) for _ in range(count)]


S, HEAD, ADMIN, LEAD = Role.STAFF, Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.LEADER
CLERK, ASSISTANT, JUDGE = "书记员", "法官助理", "审判员"

COURT_PEOPLE: list[PersonSpec] = [
    PersonSpec(
        None,
        "院长",
        "president",
        (S, Role.APPROVER, LEAD),
        leader=True,
        oversees=("ZH", "ZZ", "SG"),
    ),
    PersonSpec(None, "副院长", "leader1", (S, LEAD), leader=True, oversees=("MY1", "MY2")),
    PersonSpec(None, "副院长", leader=True, oversees=("XS", "XZ", "SJ")),
    PersonSpec(None, "副院长", leader=True, oversees=("LA", "ZX", "FJ")),
    *_spec("LA", "庭长", head=True),
    *_spec("LA", "副庭长"),
    *_spec("LA", JUDGE),
    *_spec("LA", ASSISTANT),
    *_spec("LA", CLERK),
    PersonSpec("MY1", "庭长", "head1", (S, HEAD), head=True),
    *_spec("MY1", "副庭长"),
    PersonSpec("MY1", JUDGE, "staff1", (S,)),
    PersonSpec("MY1", JUDGE, "staff2", (S,)),
    *_spec("MY1", JUDGE),
    *_spec("MY1", ASSISTANT, 2),
    *_spec("MY1", CLERK, 2),
    PersonSpec("MY1", "书记员（内勤）", "deptadmin1", (S, ADMIN)),
    *_spec("MY1", JUDGE, status=PersonStatus.RETIRED, status_date=date(2025, 9, 30)),
    *_spec("MY2", "庭长", head=True),
    *_spec("MY2", "副庭长"),
    *_spec("MY2", JUDGE, 2),
    *_spec("MY2", ASSISTANT, 2),
    *_spec("MY2", CLERK, 2),
    *_spec("MY2", JUDGE, status=PersonStatus.DEPARTED, status_date=date(2025, 12, 31)),
    *_spec("XS", "庭长", head=True),
    *_spec("XS", JUDGE, 2),
    *_spec("XS", ASSISTANT),
    *_spec("XS", CLERK, 2),
    *_spec("XS", ASSISTANT, status=PersonStatus.TRANSFERRED, status_date=date(2026, 3, 16)),
    *_spec("XZ", "庭长", head=True),
    *_spec("XZ", JUDGE, 2),
    *_spec("XZ", ASSISTANT),
    *_spec("XZ", CLERK),
    *_spec("ZX", "局长", head=True),
    *_spec("ZX", "副局长"),
    *_spec("ZX", "执行员", 2),
    *_spec("ZX", ASSISTANT),
    *_spec("ZX", CLERK, 2),
    *_spec("ZX", CLERK, status=PersonStatus.RETIRED, status_date=date(2026, 6, 30)),
    *_spec("SJ", "庭长", head=True),
    *_spec("SJ", JUDGE, 2),
    *_spec("SJ", CLERK),
    *_spec("ZH", "主任", head=True),
    PersonSpec("ZH", "副主任（督察室负责人）", "custodian", (S, Role.CUSTODIAN)),
    PersonSpec("ZH", "督察员", "inspector", (S, Role.INSPECTOR)),
    *_spec("ZH", "科员"),
    *_spec("ZZ", "主任", head=True),
    PersonSpec("ZZ", "干部科科长", "personnel", (S, Role.PERSONNEL)),
    *_spec("ZZ", "科员"),
    *_spec("SG", "主任", head=True),
    *_spec("SG", "科员"),
    PersonSpec("SG", "信息技术科科员", "sysadmin", (Role.SYSADMIN,)),
    *_spec("FJ", "大队长", head=True),
    *_spec("FJ", "司法警察"),
]
HIGHER_PEOPLE: list[PersonSpec] = [
    PersonSpec("DC", "督察室主任", "supervisor", (Role.SUPERVISOR,)),
]

JUDGE_WEIGHTS = {"庭长": 1, "局长": 1, "副庭长": 2, "副局长": 2, JUDGE: 3, "执行员": 3}
ASSISTANT_POSITIONS = {ASSISTANT}
CLERK_POSITIONS = {CLERK, "书记员（内勤）"}

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵赵郭郭段卫原苗翟范贾薛黄周吴徐孙胡朱高何马罗梁宋郑谢韩唐冯"
    "董程曹袁邓许傅沈彭吕"
)
GIVEN = (
    "建国 志强 伟 静 敏 磊 洋 艳 勇 军 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 丽 强 鹏 辉 玲 华 芳 燕 "
    "红 晓东 海燕 振华 文博 雅琴 子涵 浩然 思远 欣怡 宇航 佳琪 国庆 卫东 爱华 春梅 建军 丽娜 晨 "
    "亚楠 瑞 婷婷 凯 宏伟 立新 雪 文静 俊杰 向阳 丹 永 淑珍 玉兰 海涛 家豪 梦瑶 一鸣 晓燕"
).split()


class NameMaker:
    """Plausible Chinese names, none repeated, drawn from one seeded generator."""

    def __init__(self, rng: random.Random, taken: Iterable[str] = ()) -> None:
        self.rng = rng
        self.taken = set(taken)

    def person(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.taken:
                self.taken.add(name)
                return name


@dataclass(frozen=True)
class PlannedPerson:
    court_code: str
    staff_no: str
    name: str
    spec: PersonSpec

    @property
    def username(self) -> str:
        """Named accounts keep their name; other serving staff log in with their staff number."""
        if self.spec.username:
            return self.spec.username
        return self.staff_no if self.spec.status == PersonStatus.SERVING else ""


def plan_people(rng: random.Random) -> list[PlannedPerson]:
    """Names and staff numbers for both courts, in spec order."""
    names = NameMaker(rng)
    court = [
        PlannedPerson(DEMO_COURT[0], f"9001{index:03d}", names.person(), spec)
        for index, spec in enumerate(COURT_PEOPLE, 1)
    ]
    higher = [
        PlannedPerson(HIGHER_COURT[0], f"90{index:04d}", names.person(), spec)
        for index, spec in enumerate(HIGHER_PEOPLE, 1)
    ]
    return court + higher


# --- Cases ------------------------------------------------------------------------------------

BANKS = (
    "济源沁园农村商业银行股份有限公司",
    "河南王屋村镇银行股份有限公司",
    "豫西商业银行股份有限公司济源分行",
)
INSURERS = (
    "华豫财产保险股份有限公司济源中心支公司",
    "安泰财产保险股份有限公司济源支公司",
    "中州财产保险股份有限公司济源支公司",
)
BRANDS = "鑫源 恒达 豫丰 宏泰 沁园 济世 华信 金利 万通 盛达 润丰 天坛 富康 太行 中兴 瑞祥".split()
TRADES = "商贸 建筑工程 房地产开发 物流 机械制造 钢材贸易 建材 农业科技 汽车销售 餐饮管理".split()
LAW_FIRMS = (
    "河南沁园律师事务所",
    "河南王屋山律师事务所",
    "河南愚公律师事务所",
    "河南济渎律师事务所",
    "河南天坛律师事务所",
    "河南太行律师事务所",
    "河南豫济律师事务所",
    "河南正源律师事务所",
)
LEGAL_SERVICE = ("济源市沁园法律服务所", "济源市北海法律服务所")
PROSECUTOR = "济源市人民检察院"

# cause -> (kinds of the first side, kinds of the second side); a kind is a generator name or a
# literal party name. Repeated causes are simply more frequent.
CIVIL_ONE = {
    "民间借贷纠纷": (("person",), ("person",)),
    "离婚纠纷": (("person",), ("person",)),
    "机动车交通事故责任纠纷": (("person",), ("person", "insurer")),
    "物业服务合同纠纷": (("property",), ("person",)),
    "房屋租赁合同纠纷": (("person",), ("person",)),
    "劳务合同纠纷": (("person",), ("company",)),
    "继承纠纷": (("person",), ("person", "person")),
    "抚养费纠纷": (("person",), ("person",)),
    "生命权、身体权、健康权纠纷": (("person",), ("person",)),
    "相邻关系纠纷": (("person",), ("person",)),
}
CIVIL_ONE_WEIGHTS = (8, 6, 5, 3, 2, 2, 1, 1, 2, 1)
CIVIL_TWO = {
    "买卖合同纠纷": (("company",), ("company",)),
    "金融借款合同纠纷": (("bank",), ("person", "person")),
    "信用卡纠纷": (("bank",), ("person",)),
    "建设工程施工合同纠纷": (("company",), ("company",)),
    "追偿权纠纷": (("company",), ("person",)),
    "承揽合同纠纷": (("company",), ("company",)),
    "股权转让纠纷": (("person",), ("person",)),
    "保证合同纠纷": (("company",), ("person", "person")),
    "财产保险合同纠纷": (("person",), ("insurer",)),
}
CIVIL_TWO_WEIGHTS = (7, 4, 4, 2, 2, 2, 1, 1, 1)
SPECIAL = {
    "申请司法确认调解协议": (("person", "person"), ()),
    "申请实现担保物权": (("bank",), ("person",)),
    "申请宣告公民失踪": (("person",), ()),
    "申请认定财产无主": (("person",), ()),
}
SPECIAL_WEIGHTS = (6, 2, 1, 1)
ADMIN_CASES = {
    "治安管理行政处罚": (("person",), ("济源市公安局",)),
    "工伤认定": (("person",), ("济源市人力资源和社会保障局",)),
    "政府信息公开": (("person",), ("济源市自然资源和规划局",)),
    "行政强制拆除": (("person",), ("济源市城市管理局",)),
    "市场监督管理行政处罚": (("company",), ("济源市市场监督管理局",)),
    "环境保护行政处罚": (("company",), ("济源市生态环境局",)),
}
ADMIN_WEIGHTS = (3, 3, 2, 2, 1, 1)
# cause -> (most accused, whether there is a victim)
CRIMINAL = {
    "危险驾驶罪": (1, False),
    "盗窃罪": (2, True),
    "诈骗罪": (2, True),
    "帮助信息网络犯罪活动罪": (2, False),
    "故意伤害罪": (1, True),
    "交通肇事罪": (1, True),
    "寻衅滋事罪": (3, False),
    "开设赌场罪": (3, False),
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪": (1, False),
    "拒不执行判决、裁定罪": (1, False),
}
CRIMINAL_WEIGHTS = (9, 6, 4, 4, 3, 2, 2, 2, 1, 1)
OBJECTION = {"执行异议": (("person",), ("person",))}
PRESERVATION = {
    "申请诉讼财产保全": (("person",), ("person",)),
    "申请诉前财产保全": (("company",), ("company",)),
}

SIDES = {
    "civil": (ParticipantRole.PLAINTIFF, ParticipantRole.DEFENDANT),
    "admin": (ParticipantRole.PLAINTIFF, ParticipantRole.DEFENDANT),
    "retrial": (ParticipantRole.APPLICANT, ParticipantRole.RESPONDENT),
    "special": (ParticipantRole.APPLICANT, ParticipantRole.RESPONDENT),
    "enforce": (ParticipantRole.APPLICANT, ParticipantRole.RESPONDENT),
}


@dataclass(frozen=True)
class Stream:
    """A kind of case one department handles: how many, which causes, how long, how tried."""

    kind: str
    department: str
    count: int
    family: str
    causes: dict
    weights: tuple[int, ...]
    days: tuple[int, int]
    panel: float = 0.0


STREAMS = [
    Stream("民初", "MY1", 95, "civil", CIVIL_ONE, CIVIL_ONE_WEIGHTS, (15, 150), 0.15),
    Stream("民初", "MY2", 65, "civil", CIVIL_TWO, CIVIL_TWO_WEIGHTS, (20, 180), 0.2),
    Stream("民特", "LA", 10, "special", SPECIAL, SPECIAL_WEIGHTS, (3, 30)),
    Stream("刑初", "XS", 40, "criminal", CRIMINAL, CRIMINAL_WEIGHTS, (10, 90), 0.35),
    Stream("行初", "XZ", 15, "admin", ADMIN_CASES, ADMIN_WEIGHTS, (40, 180), 0.7),
    Stream("执保", "ZX", 12, "enforce", PRESERVATION, (3, 1), (1, 10)),
    Stream("执异", "ZX", 6, "enforce", OBJECTION, (1,), (15, 60), 1.0),
    Stream("民再", "SJ", 4, "retrial", CIVIL_TWO, CIVIL_TWO_WEIGHTS, (60, 200), 1.0),
]
# 执 cases follow closed 民初 judgments (their cause and parties, not drawn afresh): the
# plaintiff applies against the defendant.
ENFORCEMENT = Stream("执", "ZX", 55, "enforce", {}, (), (20, 360))
# Largest step between consecutive sequence numbers of a kind: the court files many more
# cases than the demo holds, so numbers run into the thousands like real ones.
NUMBER_GAPS = {
    "民初": 40,
    "执": 40,
    "执保": 15,
    "刑初": 8,
    "行初": 5,
    "民特": 10,
    "执异": 6,
    "民再": 2,
}


@dataclass
class PlannedCase:
    kind: str
    department: str
    cause: str
    filed_on: date
    closed_on: date | None
    stage: str
    participants: list[tuple[str, str, str]] = field(default_factory=list)
    assignments: list[tuple[str, str, date]] = field(default_factory=list)
    number: str = ""

    @property
    def year(self) -> int:
        return self.filed_on.year


class Parties:
    """Names for parties and their representatives; the lawyers form a small recurring pool."""

    def __init__(self, rng: random.Random, names: NameMaker) -> None:
        self.rng = rng
        self.names = names
        self.lawyers = [(names.person(), rng.choice(LAW_FIRMS)) for _ in range(28)]

    def party(self, kind: str) -> str:
        """A party of a kind (person, company, bank, insurer, property), or the literal name."""
        makers: dict[str, Callable[[], str]] = {
            "person": self.names.person,
            "company": lambda: self._company(self.rng.choice(TRADES)),
            "property": lambda: self._company("物业服务"),
            "bank": lambda: self.rng.choice(BANKS),
            "insurer": lambda: self.rng.choice(INSURERS),
        }
        return makers[kind]() if kind in makers else kind

    def _company(self, trade: str) -> str:
        return f"济源市{self.rng.choice(BRANDS)}{trade}有限公司"

    def lawyer_pair(self) -> list[tuple[str, str]]:
        """Two different lawyers, for opposite sides."""
        return self.rng.sample(self.lawyers, 2)


def _workday(rng: random.Random, start: date, end: date) -> date:
    """A random Monday-to-Friday between start and end."""
    while True:
        day = start + timedelta(days=rng.randint(0, (end - start).days))
        if day.weekday() < 5:
            return day


def _filing_day(rng: random.Random) -> date:
    """A workday in the demo window, more of them recent: caseloads grow, and open cases matter."""
    span = (LAST_DAY - FIRST_DAY).days
    offset = rng.triangular(0, span, span) if rng.random() < 0.5 else rng.uniform(0, span)
    day = FIRST_DAY + timedelta(days=int(offset))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _next_workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _outcome(rng: random.Random, filed: date, days: tuple[int, int]) -> tuple[str, date | None]:
    """Stage and closing date: old cases are closed (mostly archived), recent ones still open."""
    duration = rng.randint(*days) * (2 if rng.random() < 0.1 else 1)
    closed = _next_workday(filed + timedelta(days=duration))
    if closed > LAST_DAY:
        return (CaseStage.TRIAL if (LAST_DAY - filed).days > 7 else CaseStage.FILED), None
    if (LAST_DAY - closed).days > 60 and rng.random() < 0.85:
        return CaseStage.ARCHIVED, closed
    return CaseStage.CLOSED, closed


def _sides(rng: random.Random, parties: Parties, stream: Stream, cause: str) -> list[tuple]:
    """The two sides of a non-criminal case, each party with maybe a lawyer or an agent."""
    first_role, second_role = SIDES[stream.family]
    first_kinds, second_kinds = stream.causes[cause]
    rows = [(first_role, parties.party(kind), "") for kind in first_kinds]
    rows += [(second_role, parties.party(kind), "") for kind in second_kinds]
    return _dedupe(rows + _representatives(rng, parties, stream.family, second_kinds))


def _representatives(rng: random.Random, parties: Parties, family: str, second: tuple) -> list:
    """Lawyers for either side; an agency sends one of its own staff as agent."""
    ours, theirs = parties.lawyer_pair()
    rows = []
    if rng.random() < 0.55:
        rows.append((ParticipantRole.LAWYER, *ours))
    elif rng.random() < 0.2:
        rows.append((ParticipantRole.AGENT, parties.names.person(), rng.choice(LEGAL_SERVICE)))
    if family == "admin":
        rows.append((ParticipantRole.AGENT, parties.names.person(), second[0]))
    elif second and rng.random() < 0.35:
        rows.append((ParticipantRole.LAWYER, *theirs))
    return rows


def _criminal_parties(rng: random.Random, parties: Parties, cause: str) -> list[tuple]:
    """The prosecution, one or more accused with defenders, and a victim where there is one."""
    most, has_victim = CRIMINAL[cause]
    rows = [(ParticipantRole.PROSECUTOR, PROSECUTOR, "")]
    defenders = rng.sample(parties.lawyers, most)
    for index in range(rng.randint(1, most)):
        rows.append((ParticipantRole.ACCUSED, parties.names.person(), ""))
        if rng.random() < 0.65:
            rows.append((ParticipantRole.DEFENDER, *defenders[index]))
    if has_victim:
        rows.append((ParticipantRole.VICTIM, parties.names.person(), ""))
    return rows


def _dedupe(rows: list[tuple]) -> list[tuple]:
    """Drop repeats of (role, name): a bank may be drawn twice for the same case."""
    seen: dict[tuple, tuple] = {}
    for row in rows:
        seen.setdefault(row[:2], row)
    return list(seen.values())


def _plan_stream(rng: random.Random, parties: Parties, stream: Stream) -> list[PlannedCase]:
    """The cases of one stream, with dates, stage and participants (numbers come later)."""
    causes = list(stream.causes)
    planned = []
    for _ in range(stream.count):
        cause = rng.choices(causes, weights=stream.weights)[0]
        filed = _filing_day(rng)
        stage, closed = _outcome(rng, filed, stream.days)
        case = PlannedCase(stream.kind, stream.department, cause, filed, closed, stage)
        if stream.family == "criminal":
            case.participants = _criminal_parties(rng, parties, cause)
        else:
            case.participants = _sides(rng, parties, stream, cause)
        planned.append(case)
    return planned


def _plan_enforcement(rng: random.Random, judgments: list[PlannedCase]) -> list[PlannedCase]:
    """执 cases for some closed 民初 judgments: the plaintiff applies against the defendant."""
    stream = ENFORCEMENT
    closed = [c for c in judgments if c.closed_on and c.closed_on + timedelta(30) < LAST_DAY]
    chosen = rng.sample(closed, min(stream.count, len(closed)))
    planned = []
    for judgment in sorted(chosen, key=lambda c: (c.closed_on, c.cause)):
        assert judgment.closed_on is not None  # only closed judgments were chosen
        filed = _workday(rng, judgment.closed_on + timedelta(days=20), LAST_DAY)
        stage, closed_on = _outcome(rng, filed, stream.days)
        case = PlannedCase(stream.kind, stream.department, judgment.cause, filed, closed_on, stage)
        case.participants = _enforcement_parties(judgment)
        planned.append(case)
    return planned


def _enforcement_parties(judgment: PlannedCase) -> list[tuple]:
    """The judgment's parties under their enforcement roles; its lawyers stay with it."""
    roles: dict[str, str] = {
        ParticipantRole.PLAINTIFF: ParticipantRole.APPLICANT,
        ParticipantRole.DEFENDANT: ParticipantRole.RESPONDENT,
        ParticipantRole.LAWYER: ParticipantRole.LAWYER,
    }
    return [
        (roles[role], name, firm) for role, name, firm in judgment.participants if role in roles
    ]


def _number_cases(rng: random.Random, cases: list[PlannedCase]) -> None:
    """Sequence numbers per year and kind, in filing order, with gaps for unseen cases."""
    groups: dict[tuple[int, str], list[PlannedCase]] = defaultdict(list)
    for case in cases:
        groups[(case.year, case.kind)].append(case)
    for (year, kind), group in sorted(groups.items()):
        seq = 0
        for case in sorted(group, key=lambda c: (c.filed_on, c.department, c.cause)):
            seq += rng.randint(1, NUMBER_GAPS[kind])
            case.number = f"（{year}）{DEMO_COURT[0]}{kind}{seq}号"


# --- Who handles which case -------------------------------------------------------------------


class Staffing:
    """A department's judges, assistants and clerks, and who of them could take a case."""

    def __init__(self, rng: random.Random, people: list[PlannedPerson]) -> None:
        self.rng = rng
        self.by_department: dict[str, list[PlannedPerson]] = defaultdict(list)
        for person in people:
            if person.court_code == DEMO_COURT[0] and person.spec.department:
                self.by_department[person.spec.department].append(person)

    def available(self, department: str, positions: Iterable[str], end: date | None) -> list:
        """Those serving, or those who left only after the case was closed."""
        return [
            p
            for p in self.by_department[department]
            if p.spec.position in positions
            and (
                p.spec.status == PersonStatus.SERVING
                or (end is not None and p.spec.status_date and end <= p.spec.status_date)
            )
        ]

    def assign(self, case: PlannedCase, panel: float) -> None:
        """The handling judge (or a collegial panel), an assistant and a clerk."""
        day = min(case.filed_on + timedelta(days=self.rng.randint(0, 3)), LAST_DAY)
        rows = self._bench(case, panel)
        for positions, share, role in (
            (ASSISTANT_POSITIONS, 0.85, AssignmentRole.ASSISTANT),
            (CLERK_POSITIONS, 1.0, AssignmentRole.CLERK),
        ):
            helpers = self.available(case.department, positions, case.closed_on)
            if helpers and self.rng.random() < share:
                rows.append((role, self.rng.choice(helpers)))
        case.assignments = [(role, person.staff_no, day) for role, person in rows]

    def _bench(self, case: PlannedCase, panel: float) -> list[tuple[str, PlannedPerson]]:
        """承办法官, and for a collegial panel its 审判长 (the most senior) and members."""
        judges = self.available(case.department, JUDGE_WEIGHTS, case.closed_on)
        weights = [JUDGE_WEIGHTS[p.spec.position] for p in judges]
        judge = self.rng.choices(judges, weights=weights)[0]
        rows: list[tuple[str, PlannedPerson]] = [(AssignmentRole.JUDGE, judge)]
        if len(judges) < 3 or self.rng.random() >= panel:
            return rows
        others = self.rng.sample([p for p in judges if p is not judge], 2)
        bench = sorted([judge, *others], key=lambda p: JUDGE_WEIGHTS[p.spec.position])
        rows.append((AssignmentRole.PRESIDING, bench[0]))
        rows += [(AssignmentRole.MEMBER, p) for p in bench if p is not judge and p is not bench[0]]
        return rows


def plan_cases(seed: int, people: list[PlannedPerson]) -> list[PlannedCase]:
    """About three hundred numbered cases with participants and handlers."""
    rng = random.Random(f"{seed}:cases")
    parties = Parties(rng, NameMaker(rng, taken=(p.name for p in people)))
    cases: list[PlannedCase] = []
    for stream in STREAMS:
        cases += _plan_stream(rng, parties, stream)
    cases += _plan_enforcement(rng, [c for c in cases if c.kind == "民初"])
    _number_cases(rng, cases)
    staffing = Staffing(rng, people)
    panels = {(s.kind, s.department): s.panel for s in [*STREAMS, ENFORCEMENT]}
    for case in cases:
        staffing.assign(case, panels[(case.kind, case.department)])
    return cases


# --- Writing ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a run wrote: rows created and updated per kind of thing."""

    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kept_passwords: int = 0

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def sync(queryset: models.QuerySet, key: str, rows: list[dict], tally: Tally, label: str) -> dict:
    """Create the rows missing from `queryset` (matched on `key`), update those that differ.

    Rows use attnames (`court_id`), so nothing is fetched to compare foreign keys. Returns every
    matching object by key.
    """
    model = queryset.model
    existing = {getattr(obj, key): obj for obj in queryset}
    new, changed, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            new.append(model(**row))
            continue
        diff = {name for name, value in row.items() if getattr(obj, name) != value}
        if diff:
            for name in diff:
                setattr(obj, name, row[name])
            changed.append(obj)
            fields |= diff
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=500)
    tally.created[label] += len(new)
    tally.updated[label] += len(changed)
    return {getattr(obj, key): obj for obj in queryset.all()}


def sync_courts(tally: Tally) -> dict[str, Court]:
    """The higher court, then the demo court under it."""
    (hcode, hname, hshort), (code, name, short) = HIGHER_COURT, DEMO_COURT
    higher = sync(
        Court.objects.filter(code=hcode),
        "code",
        [{"code": hcode, "name": hname, "short_name": hshort, "parent_id": None}],
        tally,
        "法院",
    )[hcode]
    court = sync(
        Court.objects.filter(code=code),
        "code",
        [{"code": code, "name": name, "short_name": short, "parent_id": higher.pk}],
        tally,
        "法院",
    )[code]
    return {hcode: higher, code: court}


def sync_departments(court: Court, spec: list[tuple[str, str]], tally: Tally) -> dict:
    rows = [
        {"court_id": court.pk, "code": code, "name": name, "is_active": True} for code, name in spec
    ]
    return sync(Department.objects.filter(court=court), "code", rows, tally, "部门")


def sync_users(people: list[PlannedPerson], reset: bool, tally: Tally) -> dict[str, User]:
    """An account per named role and per serving person; existing passwords stay unless reset."""
    wanted = [p for p in people if p.username]
    rows = [_user_row(p) for p in wanted]
    existing = set(
        User.objects.filter(username__in=[r["username"] for r in rows]).values_list(
            "username", flat=True
        )
    )
    password = make_password(DEMO_PASSWORD)
    for row in rows:
        if row["username"] not in existing:
            row["password"] = password
    users = sync(
        User.objects.filter(username__in=[r["username"] for r in rows]),
        "username",
        rows,
        tally,
        "账号",
    )
    if reset:
        tally.updated["密码重置"] += _reset_passwords(list(users.values()), password)
    else:
        tally.kept_passwords = len(existing)
    return users


def _user_row(person: PlannedPerson) -> dict:
    is_admin = person.spec.username == "sysadmin"
    return {
        "username": person.username,
        "last_name": person.name[0],
        "first_name": person.name[1:],
        "is_staff": is_admin,
        "is_superuser": is_admin,
    }


def _reset_passwords(users: list[User], password: str) -> int:
    """The demo password again, no second factor, no lockout."""
    for user in users:
        user.password = password
        user.totp_secret, user.totp_confirmed_at, user.totp_last_step = "", None, 0
        user.failed_login_count, user.locked_until, user.is_active = 0, None, True
    fields = [
        "password",
        "totp_secret",
        "totp_confirmed_at",
        "totp_last_step",
        "failed_login_count",
        "locked_until",
        "is_active",
    ]
    User.objects.bulk_update(users, fields)
    return len(users)


def sync_people(
    people: list[PlannedPerson], courts: dict, departments: dict, users: dict, tally: Tally
) -> dict[tuple[str, str], Person]:
    """People keyed by (court code, staff number)."""
    result = {}
    for code, court in courts.items():
        rows = [
            _person_row(p, court, departments[code], users) for p in people if p.court_code == code
        ]
        synced = sync(Person.objects.filter(court=court), "staff_no", rows, tally, "人员")
        result.update({(code, staff_no): person for staff_no, person in synced.items()})
    return result


def _person_row(person: PlannedPerson, court: Court, departments: dict, users: dict) -> dict:
    spec = person.spec
    user = users.get(person.username)
    return {
        "court_id": court.pk,
        "staff_no": person.staff_no,
        "name": person.name,
        "position": spec.position,
        "department_id": departments[spec.department].pk if spec.department else None,
        "is_leader": spec.leader,
        "status": str(spec.status),
        "status_date": spec.status_date,
        "user_id": user.pk if user else None,
    }


def sync_roles(people: list[PlannedPerson], persons: dict, tally: Tally) -> None:
    """Each person's roles in his own court; roles granted by hand since are kept."""
    held = set(
        RoleAssignment.objects.filter(person__in=persons.values()).values_list("person_id", "role")
    )
    new, content = [], []
    for planned in people:
        person = persons[(planned.court_code, planned.staff_no)]
        for role in planned.spec.all_roles():
            if (person.pk, role) in held:
                continue
            if role in CONTENT_ROLES:
                content.append((person, role))
            else:
                new.append(RoleAssignment(person=person, court_id=person.court_id, role=role))
    RoleAssignment.objects.bulk_create(new)
    # Roles that open contents go through the operator's audited server-side path: the demo
    # is built on the server, with nobody yet to confirm them (docs/roles.md).
    for person, role in content:
        role_grant_bootstrap(person=person, role=role, reason="演示数据", operator="mingjing demo")
    tally.created["角色"] += len(new) + len(content)


def sync_oversight(
    people: list[PlannedPerson], persons: dict, departments: dict, tally: Tally
) -> None:
    """The departments each leader oversees (分管)."""
    through = Person.oversees.through
    held = set(
        through.objects.filter(person__in=persons.values()).values_list(
            "person_id", "department_id"
        )
    )
    new = []
    for planned in people:
        person = persons[(planned.court_code, planned.staff_no)]
        for code in planned.spec.oversees:
            department = departments[planned.court_code][code]
            if (person.pk, department.pk) not in held:
                new.append(through(person_id=person.pk, department_id=department.pk))
    through.objects.bulk_create(new)
    tally.created["分管"] += len(new)


def sync_cases(
    court: Court, cases: list[PlannedCase], departments: dict, tally: Tally
) -> dict[str, Case]:
    rows = [
        {
            "court_id": court.pk,
            "number": c.number,
            "year": c.year,
            "kind": c.kind,
            "cause": c.cause,
            "department_id": departments[c.department].pk,
            "filed_on": c.filed_on,
            "closed_on": c.closed_on,
            "stage": str(c.stage),
        }
        for c in cases
    ]
    return sync(Case.objects.filter(court=court), "number", rows, tally, "案件")


def sync_participants(court: Court, cases: list[PlannedCase], synced: dict, tally: Tally) -> None:
    """Participants missing from their case, matched on (case, role, name)."""
    held = set(Participant.objects.filter(case__court=court).values_list("case_id", "role", "name"))
    new = [
        Participant(case_id=synced[c.number].pk, role=role, name=name, law_firm=firm)
        for c in cases
        for role, name, firm in c.participants
        if (synced[c.number].pk, role, name) not in held
    ]
    Participant.objects.bulk_create(new, batch_size=500)
    tally.created["诉讼参与人"] += len(new)


def sync_assignments(
    court: Court, cases: list[PlannedCase], synced: dict, persons: dict, tally: Tally
) -> None:
    """Handlers missing from their case, matched on (case, person, role)."""
    held = set(
        Assignment.objects.filter(case__court=court).values_list("case_id", "person_id", "role")
    )
    new = []
    for case in cases:
        case_id = synced[case.number].pk
        for role, staff_no, day in case.assignments:
            person_id = persons[(court.code, staff_no)].pk
            if (case_id, person_id, role) not in held:
                new.append(
                    Assignment(case_id=case_id, person_id=person_id, role=role, assigned_on=day)
                )
    Assignment.objects.bulk_create(new, batch_size=500)
    tally.created["办案人员"] += len(new)


# --- The whole court --------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    username: str
    name: str
    court: str
    department: str
    position: str
    roles: str


@dataclass
class DemoSummary:
    court: Court
    higher: Court
    tally: Tally
    totals: dict[str, int]
    accounts: list[AccountRow]
    other_accounts: int
    sample_staff_no: str


@transaction.atomic
def build_demo(*, seed: int = DEFAULT_SEED, reset_passwords: bool = False) -> DemoSummary:
    """Build or complete the demo court; a second run with the same seed writes nothing."""
    tally = Tally()
    people = plan_people(random.Random(f"{seed}:people"))
    courts = sync_courts(tally)
    departments = {
        HIGHER_COURT[0]: sync_departments(courts[HIGHER_COURT[0]], HIGHER_DEPARTMENTS, tally),
        DEMO_COURT[0]: sync_departments(courts[DEMO_COURT[0]], DEPARTMENTS, tally),
    }
    users = sync_users(people, reset_passwords, tally)
    persons = sync_people(people, courts, departments, users, tally)
    sync_roles(people, persons, tally)
    sync_oversight(people, persons, departments, tally)
    court = courts[DEMO_COURT[0]]
    cases = plan_cases(seed, people)
    synced = sync_cases(court, cases, departments[DEMO_COURT[0]], tally)
    sync_participants(court, cases, synced, tally)
    sync_assignments(court, cases, synced, persons, tally)
    # Assignments are bulk-created (no signals): expect every handler's declaration (一案一表).
    declarations_sync(court=court)
    return _summary(courts, people, persons, tally)


def _summary(courts: dict, people: list[PlannedPerson], persons: dict, tally: Tally) -> DemoSummary:
    court, higher = courts[DEMO_COURT[0]], courts[HIGHER_COURT[0]]
    named = [p for p in people if p.spec.username]
    others = [p for p in people if p.username and not p.spec.username]
    return DemoSummary(
        court=court,
        higher=higher,
        tally=tally,
        totals=_totals(court, higher),
        accounts=[_account_row(persons[(p.court_code, p.staff_no)]) for p in named],
        other_accounts=len(others),
        sample_staff_no=others[0].staff_no if others else "",
    )


def _totals(court: Court, higher: Court) -> dict[str, int]:
    people = Person.objects.filter(court__in=[court, higher])
    return {
        "部门": Department.objects.filter(court__in=[court, higher]).count(),
        "人员": people.count(),
        "在职": people.filter(status=PersonStatus.SERVING).count(),
        "账号": people.exclude(user=None).count(),
        "案件": Case.objects.filter(court=court).count(),
        "诉讼参与人": Participant.objects.filter(case__court=court).count(),
        "办案人员": Assignment.objects.filter(case__court=court).count(),
    }


def _account_row(person: Person) -> AccountRow:
    roles = RoleAssignment.objects.filter(person=person).order_by("id")
    return AccountRow(
        username=person.user.username if person.user else "",
        name=person.name,
        court=person.court.short_name,
        department=person.department.name if person.department else "院领导",
        position=person.position,
        roles="、".join(r.get_role_display() for r in roles),
    )
