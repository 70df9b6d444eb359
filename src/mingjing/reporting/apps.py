from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "mingjing.reporting"
    verbose_name = "月报告"

    def ready(self) -> None:
        from mingjing.reporting.sealed import sealed_columns
        from mingjing.security.reencrypt import register_sealed_columns

        register_sealed_columns(sealed_columns)
