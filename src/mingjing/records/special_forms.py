"""Forms of the special reports; the services validate again (the API calls them directly)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mingjing.records.models import Manner
from mingjing.records.special import (
    BODIES,
    LEVELS,
    MAX_RELATIVES,
    OCCUPATIONS,
    RELATIONSHIPS,
    DeputyConcernInput,
    RelativeInput,
    RelativesInput,
)

BLANK = [("", _("请选择"))]
RELATIVES_PREFIX = "relatives"


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RelativeForm(forms.Form):
    name = forms.CharField(label=_("亲属姓名"), max_length=50)
    relationship = forms.ChoiceField(label=_("与本人关系"), choices=BLANK + RELATIONSHIPS)
    occupation = forms.ChoiceField(label=_("从业类别"), choices=BLANK + OCCUPATIONS)
    organisation = forms.CharField(label=_("执业机构或所在单位"), max_length=200)
    licence_no = forms.CharField(label=_("执业证号（可不填）"), max_length=50, required=False)
    practice_area = forms.CharField(
        label=_("执业地域或主要执业法院"), max_length=200, help_text=_("如：本市两级法院")
    )
    acted_here = forms.BooleanField(label=_("曾在本院代理案件或从事相关业务"), required=False)
    acted_note = forms.CharField(
        label=_("代理案件情况"), required=False, max_length=1000, widget=_textarea(2)
    )

    def to_input(self) -> RelativeInput:
        return RelativeInput(**{k: v for k, v in self.cleaned_data.items() if k != "DELETE"})


RelativeFormSet = forms.formset_factory(
    RelativeForm,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_RELATIVES,
    validate_max=True,
    can_delete=True,
)


class RelativesReportForm(forms.Form):
    note = forms.CharField(
        label=_("其他需要说明的情况"), required=False, max_length=2000, widget=_textarea()
    )

    def to_input(self, formset) -> RelativesInput:
        relatives = [
            form.to_input()
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        return RelativesInput(relatives=relatives, note=self.cleaned_data["note"])


class DeputyConcernForm(forms.Form):
    deputy_name = forms.CharField(label=_("代表或委员姓名"), max_length=50)
    body = forms.ChoiceField(label=_("身份"), choices=BLANK + BODIES)
    level = forms.ChoiceField(label=_("级别"), choices=BLANK + LEVELS)
    deputy_unit = forms.CharField(
        label=_("工作单位及职务（可不填）"), max_length=200, required=False
    )
    case_number = forms.CharField(
        label=_("案号"), max_length=60, help_text=_("如：（2026）豫9001民初123号")
    )
    concerned_on = forms.DateField(
        label=_("关注日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    manner = forms.ChoiceField(label=_("关注方式"), choices=BLANK + list(Manner.choices))
    content = forms.CharField(label=_("关注内容"), max_length=2000, widget=_textarea(4))
    handling = forms.CharField(label=_("处理情况"), max_length=2000, widget=_textarea())

    def to_input(self) -> DeputyConcernInput:
        return DeputyConcernInput(**self.cleaned_data)
