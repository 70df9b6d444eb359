from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "mingjing.reporting"
    verbose_name = "月报告"

    def ready(self) -> None:
        from mingjing.notify.reminders import register_reminders
        from mingjing.reporting.reminders import reminders_at
        from mingjing.reporting.sealed import sealed_columns
        from mingjing.security.reencrypt import register_sealed_columns

        register_sealed_columns(sealed_columns)
        # `mingjing tick` asks notify, which asks the apps: reporting's rules (issue 9.2).
        register_reminders(reminders_at)
