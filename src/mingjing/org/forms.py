from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("确认意见"),
        choices=[
            ("confirm", pgettext_lazy("role grant", "确认授予")),
            ("refuse", pgettext_lazy("role grant", "不予授予")),
        ],
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)
    otp = forms.CharField(
        label=_("动态口令（重新验证）"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
