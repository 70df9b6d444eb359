from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "mingjing.org"
    verbose_name = "组织机构"
