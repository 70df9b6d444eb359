"""Forms of the monthly cycle: filing a month's report and reviewing one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mingjing.reporting import calendar


class MonthlyReportForm(forms.Form):
    """One click: the month, and whether it is a zero report."""

    month = forms.CharField(max_length=7)
    zero = forms.BooleanField(required=False)
    # The zero report's confirmation: the person ticks that the declaration is true.
    affirm = forms.BooleanField(required=False)

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
    """The send button posts the month; the confirmation page adds confirm=yes and the ids of
    the missing people it named (the service checks they are still exactly those)."""

    month = MonthlyReportForm.base_fields["month"]
    confirm = forms.BooleanField(required=False)
    missing = forms.CharField(required=False, max_length=20000)

    def clean_month(self):
        return MonthlyReportForm.clean_month(self)

    def clean_missing(self) -> list[int]:
        text = self.cleaned_data["missing"].strip()
        parts = [p for p in text.split(",") if p.strip()]
        if not all(p.strip().isdigit() for p in parts):
            raise forms.ValidationError(_("确认信息无效，请重新报送。"))
        return [int(p) for p in parts]


class DirectReportForm(forms.Form):
    """信息直报: the month, the record (id) to send straight to the inspection office, and the
    tick confirming it goes around the department (the service checks the record is his)."""

    month = MonthlyReportForm.base_fields["month"]
    record = forms.IntegerField(min_value=1)
    confirm = forms.BooleanField(required=False)

    def clean_month(self):
        return MonthlyReportForm.clean_month(self)
