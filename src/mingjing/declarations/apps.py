from django.apps import AppConfig
from django.db.models.signals import post_save


class DeclarationsConfig(AppConfig):
    name = "mingjing.declarations"
    verbose_name = "一案一表"

    def ready(self) -> None:
        # Every assigned handler owes a declaration (一案一表) from the moment he is assigned.
        # Imports write assignments by SQL and call declarations_sync instead.
        from mingjing.cases import views as case_views
        from mingjing.cases.models import Assignment
        from mingjing.declarations.services import assignment_saved
        from mingjing.declarations.views import case_detail_context

        post_save.connect(assignment_saved, sender=Assignment, dispatch_uid="declaration_expect")
        # The case page shows its declarations; cases sit below this app and hear of it here.
        case_views.register_detail_context(case_detail_context)
