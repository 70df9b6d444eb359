import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mingjing.oversight.models import DisclosureKind


class DisclosureRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("申请类型"),
        choices=[("", _("请选择…")), *DisclosureKind.choices],
        error_messages={"required": _("请选择申请类型。")},
    )
    records = forms.CharField(
        label=_("记录编号"),
        max_length=500,
        help_text=_("填写记录编号，多个用逗号或空格分隔，如：12, 15"),
    )
    reason = forms.CharField(
        label=_("事由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=30, initial=7)

    def clean_records(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,，、;；#]+", self.cleaned_data["records"]) if p]
        if not parts or not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("记录编号只能是数字，多个用逗号分隔。"))
        return [int(p) for p in parts]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[
            ("", _("请选择…")),
            ("approve", pgettext_lazy("decision", "批准")),
            ("refuse", pgettext_lazy("decision", "不予批准")),
        ],
        # No default: the approver chooses each time (a hurried tap approves nothing).
        error_messages={"required": _("请选择“批准”或“不予批准”。")},
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    otp = forms.CharField(
        label=_("动态口令（重新验证）"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
