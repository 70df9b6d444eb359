"""Forms of the screening page; the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mingjing.oversight.models import Classification, Disposition
from mingjing.oversight.screening import MAX_NOTE

BLANK = [("", _("请选择"))]


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("甄别结论"), choices=BLANK + list(Classification.choices)
    )
    note = forms.CharField(
        label=_("甄别说明（仅院管理员和院长可见）"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label=_("处置决定"), choices=BLANK + list(Disposition.choices))
    note = forms.CharField(
        label=_("处置说明（仅院管理员和院长可见）"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
