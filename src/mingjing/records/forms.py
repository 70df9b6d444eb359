"""The recording form: one page, phone first, every field the 2015 rules ask for."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mingjing.org.models import Person, PersonStatus
from mingjing.records import files
from mingjing.records.models import Behaviour, Category, Manner, SubjectKind
from mingjing.records.occurred import occurred_at_problem
from mingjing.records.rules import (
    AMENDMENT_FIELDS,
    CASE_NUMBERS_BOX_CHARS,
    TEXT_FIELDS,
    not_about_a_case_problem,
)
from mingjing.records.services import (
    MAX_ATTACHMENTS,
    SEALED_FIELDS,
    RecordInput,
    split_case_numbers,
)
from mingjing.security.actor import Actor

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
# Service error keys that are named differently in the form.
FIELD_OF_SERVICE_KEY = {"subject_person_id": "subject_person"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned into a list (empty when none were chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": files.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _text(label, *, rows: int | None = None, required: bool = False, max_length: int = 2000):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


def local_now_text() -> str:
    return timezone.localtime().strftime(DATETIME_INPUT)


def _choice(label, choices, missing):
    """A required choice with nothing chosen until the user chooses (a quick submit of an
    untouched form must not file, say, a leader's interference)."""
    return forms.ChoiceField(
        label=label,
        choices=[("", gettext_lazy("请选择…")), *choices],
        error_messages={"required": missing},
    )


class RecordForm(forms.Form):
    category = _choice(gettext_lazy("类别"), Category.choices, gettext_lazy("请选择类别。"))
    behaviour = _choice(gettext_lazy("行为"), Behaviour.choices, gettext_lazy("请选择行为。"))
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("发生时间"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    place = _text(gettext_lazy("地点"), max_length=TEXT_FIELDS["place"])
    manner = _choice(gettext_lazy("方式"), Manner.choices, gettext_lazy("请选择方式。"))
    subject_kind = _choice(
        gettext_lazy("过问人类型"), SubjectKind.choices, gettext_lazy("请选择过问人类型。")
    )
    subject_person = forms.ModelChoiceField(
        label=gettext_lazy("本院人员"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=gettext_lazy("（过问人不在本院工作）"),
        help_text=gettext_lazy("过问人在本院工作时，请从名单中选择。"),
    )
    subject_name = _text(gettext_lazy("过问人姓名"), max_length=TEXT_FIELDS["subject_name"])
    subject_unit = _text(gettext_lazy("单位"), max_length=TEXT_FIELDS["subject_unit"])
    subject_position = _text(gettext_lazy("职务"), max_length=TEXT_FIELDS["subject_position"])
    subject_contact = _text(gettext_lazy("联系方式"), max_length=TEXT_FIELDS["subject_contact"])
    content = _text(gettext_lazy("过问内容"), rows=4, max_length=TEXT_FIELDS["content"])
    case_numbers = _text(gettext_lazy("涉及案件的案号"), max_length=CASE_NUMBERS_BOX_CHARS)
    not_about_a_case = forms.BooleanField(label=gettext_lazy("不涉及具体案件"), required=False)
    handling = _text(gettext_lazy("处理情况"), rows=3, max_length=TEXT_FIELDS["handling"])
    off_hours_contact = forms.BooleanField(
        label=gettext_lazy("在非工作时间或非工作场所接触当事人、律师、特殊关系人、中介组织"),
        required=False,
    )
    late_reason = _text(
        gettext_lazy("逾期报告的原因"), rows=2, max_length=TEXT_FIELDS["late_reason"]
    )
    attachments = MultipleFileField(label=gettext_lazy("附件（照片、录音、文件）"), required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        subject_person = cast(forms.ModelChoiceField, self.fields["subject_person"])
        subject_person.queryset = (
            Person.objects.filter(court=actor.court, status=PersonStatus.SERVING)
            .select_related("department")
            .order_by("department__name", "name")
        )
        subject_person.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        self.fields["case_numbers"].widget.attrs.update(list="my-cases", autocomplete="off")
        self.fields["subject_contact"].widget.attrs.update(inputmode="tel")
        self.uploads: list[tuple[str, bytes]] = []

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if problem := occurred_at_problem(value):
            raise ValidationError(problem)
        return value

    def clean_attachments(self):
        chosen = self.cleaned_data.get("attachments") or []
        if len(chosen) > MAX_ATTACHMENTS:
            raise ValidationError(_("每条记录最多 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
        errors, self.uploads = [], []
        for upload in chosen:
            name = files.clean_name(upload.name)
            try:
                data = _read_capped(upload, name)
                files.check_file(name, data)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            self.uploads.append((name, data))
        if errors:
            raise ValidationError(errors)
        return chosen

    def clean(self):
        data = super().clean()
        if problem := not_about_a_case_problem(
            not_about_a_case=bool(data.get("not_about_a_case")),
            has_case_numbers=bool((data.get("case_numbers") or "").strip()),
        ):
            self.add_error("case_numbers", problem)
        return data

    def to_input(self) -> RecordInput:
        data = self.cleaned_data
        person = data.get("subject_person")
        return RecordInput(
            category=data["category"],
            behaviour=data["behaviour"],
            manner=data["manner"],
            subject_kind=data["subject_kind"],
            occurred_at=data["occurred_at"],
            subject_name=data["subject_name"],
            subject_unit=data["subject_unit"],
            subject_position=data["subject_position"],
            subject_contact=data["subject_contact"],
            subject_person_id=person.id if person else None,
            place=data["place"],
            content=data["content"],
            handling=data["handling"],
            case_numbers=split_case_numbers(data["case_numbers"]),
            not_about_a_case=data["not_about_a_case"],
            off_hours_contact=data["off_hours_contact"],
            late_reason=data["late_reason"],
        )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the matching fields (or the form as a whole)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.message_dict.items():
            name = FIELD_OF_SERVICE_KEY.get(key, key)
            self.add_error(name if name in self.fields else None, errors)


def _person_label(person: Person) -> str:
    department = person.department.name if person.department else "—"
    return f"{person.name}（{department}）"


def _read_capped(upload, name: str) -> bytes:
    """The upload's bytes, refusing an oversized one before reading it into memory."""
    files.check_size(name, upload.size)
    return upload.read()


def initial_for(contents: dict, record) -> dict:
    """The form's initial values for an existing draft."""
    return {
        **{key: contents.get(key, "") for key in SEALED_FIELDS},
        "category": record.category,
        "behaviour": record.behaviour,
        "manner": record.manner,
        "subject_kind": record.subject_kind,
        "occurred_at": timezone.localtime(record.occurred_at).strftime(DATETIME_INPUT),
        "subject_person": contents.get("subject_person_id"),
        "case_numbers": "\n".join(record.cases.values_list("number", flat=True)),
        "not_about_a_case": record.not_about_a_case,
        "off_hours_contact": record.off_hours_contact,
        "late_reason": record.late_reason,
    }


class AmendmentForm(forms.Form):
    reason = _text(
        gettext_lazy("更正事由"), rows=2, required=True, max_length=AMENDMENT_FIELDS["reason"]
    )
    correction = _text(
        gettext_lazy("更正内容"), rows=4, required=True, max_length=AMENDMENT_FIELDS["correction"]
    )
    subject_name = forms.CharField(
        label=gettext_lazy("更正后的过问人姓名（如过问人有误或遗漏）"),
        required=False,
        max_length=AMENDMENT_FIELDS["subject_name"],
        help_text=gettext_lazy("填写后，与该姓名相同的本院人员将不能查看此记录。"),
    )
