from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "mingjing.records"
    verbose_name = "记录报告"

    def ready(self) -> None:
        from mingjing.cases import views as case_views
        from mingjing.records.models import Record
        from mingjing.records.sealed import sealed_columns
        from mingjing.security.audit import register_covered_model
        from mingjing.security.reencrypt import register_sealed_columns

        register_sealed_columns(sealed_columns)
        # Each record is made with its court's audit event (audit.verify_coverage).
        register_covered_model(Record)
        # The case page offers "记录过问" with the case filled in (cases sit below records).
        case_views.register_detail_context(case_page_context)


def case_page_context(request, case) -> dict:
    from mingjing.security import policy

    return {"may_record_case": policy.may_record(request.actor)}
