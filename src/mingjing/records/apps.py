from django.apps import AppConfig
from django.db.models.signals import post_save


class RecordsConfig(AppConfig):
    name = "mingjing.records"
    verbose_name = "记录报告"

    def ready(self) -> None:
        # Every assigned handler owes a declaration (一案一表) from the moment he is assigned.
        # Imports write assignments by SQL and call declarations_sync instead.
        from mingjing.cases.models import Assignment
        from mingjing.records.declarations import assignment_saved

        post_save.connect(assignment_saved, sender=Assignment, dispatch_uid="declaration_expect")
