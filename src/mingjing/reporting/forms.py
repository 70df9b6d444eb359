"""Forms of the monthly cycle: filing a month's report and reviewing one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mingjing.reporting import calendar


class MonthlyReportForm(forms.Form):
    """One click: the month, and whether it is a zero report."""

    month = forms.CharField(max_length=7)
    zero = forms.BooleanField(required=False)

    def clean_month(self):
        month = calendar.parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("月份格式应为 YYYY-MM。"))
        return month


class ReviewForm(forms.Form):
    """Approve, or return with a reason (the service requires the reason)."""

    decision = forms.ChoiceField(choices=[("approve", _("审核通过")), ("return", _("退回"))])
    reason = forms.CharField(label=_("退回原因"), required=False, max_length=1000)


class DepartmentSubmitForm(forms.Form):
    month = MonthlyReportForm.base_fields["month"]

    def clean_month(self):
        return MonthlyReportForm.clean_month(self)
