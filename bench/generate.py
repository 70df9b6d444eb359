"""Synthetic court data for benchmarks, in the import formats of docs/imports.md.

Deterministic for a seed. Writing the files needs nothing but the standard library;
`create_court` needs Django set up. Typical use:

    people = make_people(500)
    write_people_csv(tmp / "people.csv", people)
    write_cases_csv(tmp / "cases.csv", people, court_code="豫9901", count=50_000)
"""

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# (code, name, case type of the 案号, causes); a department without a case type hears none.
DEPARTMENTS = [
    ("LA", "立案庭", "民初", ("民间借贷纠纷", "买卖合同纠纷")),
    ("MY1", "民事审判第一庭", "民初", ("离婚纠纷", "机动车交通事故责任纠纷", "民间借贷纠纷")),
    ("MY2", "民事审判第二庭", "民初", ("金融借款合同纠纷", "房屋租赁合同纠纷", "劳动争议")),
    ("XS", "刑事审判庭", "刑初", ("盗窃罪", "诈骗罪", "危险驾驶罪")),
    ("XZ", "行政审判庭", "行初", ("行政处罚", "行政许可")),
    ("ZX", "执行局", "执", ("买卖合同纠纷执行案", "民间借贷纠纷执行案")),
    ("SG", "审判管理办公室", "", ()),
    ("ZH", "综合办公室（督察室）", "", ()),
    ("ZZ", "政治部", "", ()),
]
PEOPLE_HEADER = ["工号", "姓名", "部门", "职务", "是否院领导", "人员状态", "分管部门", "角色"]
CASE_HEADER = [
    "案号", "案由", "承办部门", "立案日期", "结案日期", "案件状态", "承办人", "审判长",
    "书记员", "原告/申请人", "被告/被申请人", "代理人", "代理人所在律所",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建文晨宇轩然浩欣"
FIRMS = ["中原明德律师事务所", "河南某某律师事务所", "示例市正义律师事务所", "示例市公平法律服务所"]
POSITIONS = ["审判员", "审判员", "法官助理", "书记员", "书记员"]


@dataclass(frozen=True)
class GeneratedPerson:
    staff_no: str
    name: str
    department: str  # name
    position: str


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def make_people(count: int = 500, *, seed: int = 1) -> list[GeneratedPerson]:
    """Three leaders, then staff spread over the departments, mostly the trial ones."""
    rng = random.Random(seed)
    people = [
        GeneratedPerson(f"L{index:03d}", _name(rng), "院领导", "副院长") for index in range(1, 4)
    ]
    hearing = [name for _, name, kind, _ in DEPARTMENTS if kind]
    others = [name for _, name, kind, _ in DEPARTMENTS if not kind]
    for index in range(1, count - len(people) + 1):
        department = rng.choice(hearing) if index % 10 else rng.choice(others)
        position = rng.choice(POSITIONS) if department in hearing else "科员"
        if index <= len(hearing):  # every hearing department has a head
            department, position = hearing[index - 1], "庭长"
        people.append(GeneratedPerson(f"S{index:05d}", _name(rng), department, position))
    return people


def write_people_csv(path: Path, people: list[GeneratedPerson]) -> None:
    """A personnel export, UTF-8 with a BOM as Excel writes it."""
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(PEOPLE_HEADER)
        for person in people:
            leader = person.department == "院领导"
            roles = "staff、leader" if leader else "staff"
            oversees = "、".join(name for _, name, kind, _ in DEPARTMENTS[:3]) if leader else ""
            row = [person.staff_no, person.name, person.department, person.position]
            writer.writerow([*row, "是" if leader else "否", "在职", oversees, roles])


def write_cases_csv(
    path: Path,
    people: list[GeneratedPerson],
    *,
    court_code: str,
    count: int = 50_000,
    year: int = 2026,
    seed: int = 1,
    closed_share: float = 0.6,
) -> None:
    """A case-management export of `count` cases filed in `year`: three participants and
    three handlers (承办人, 审判长, 书记员 by 工号) each."""
    rng = random.Random(seed)
    staff = _hearing_staff(people)
    sequence: dict[str, int] = {}
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(CASE_HEADER)
        for _ in range(count):
            code, department, kind, causes = rng.choice([d for d in DEPARTMENTS if d[2]])
            sequence[kind] = sequence.get(kind, 0) + 1
            number = f"（{year}）{court_code}{kind}{sequence[kind]}号"
            writer.writerow(
                _case_row(rng, number, department, causes, staff[department], year, closed_share)
            )


def _hearing_staff(people: list[GeneratedPerson]) -> dict[str, dict[str, list[str]]]:
    staff: dict[str, dict[str, list[str]]] = {}
    for person in people:
        kind = "clerks" if person.position == "书记员" else "judges"
        staff.setdefault(person.department, {"judges": [], "clerks": []})[kind].append(
            person.staff_no
        )
    for groups in staff.values():
        groups["clerks"] = groups["clerks"] or groups["judges"]
    return staff


def _case_row(
    rng: random.Random,
    number: str,
    department: str,
    causes: tuple[str, ...],
    staff: dict[str, list[str]],
    year: int,
    closed_share: float,
) -> list[str]:
    filed = date(year, 1, 1) + timedelta(days=rng.randrange(300))
    closed = filed + timedelta(days=rng.randrange(10, 60)) if rng.random() < closed_share else None
    judge, presiding = rng.choice(staff["judges"]), rng.choice(staff["judges"])
    return [
        number,
        rng.choice(causes),
        department,
        filed.isoformat(),
        closed.isoformat() if closed else "",
        "已结" if closed else "在办",
        judge,
        presiding,
        rng.choice(staff["clerks"]),
        _name(rng),
        _name(rng) if rng.random() < 0.7 else f"示例{_name(rng)}有限公司",
        _name(rng),
        rng.choice(FIRMS),
    ]


def create_court(code: str = "豫9901", name: str = "示例市人民法院（基准测试）"):
    """The court and its departments (DEPARTMENTS) in the database; Django must be set up."""
    from mingjing.org.models import Court, Department

    court, _ = Court.objects.get_or_create(code=code, defaults={"name": name, "short_name": "基准"})
    for department_code, department_name, _, _ in DEPARTMENTS:
        Department.objects.get_or_create(
            court=court, code=department_code, defaults={"name": department_name}
        )
    return court
