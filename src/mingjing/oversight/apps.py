from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "mingjing.oversight"
    verbose_name = "监督"

    def ready(self) -> None:
        from mingjing.oversight.sealed import sealed_columns
        from mingjing.oversight.selectors import grant_covering_id, granted_record_ids
        from mingjing.records.selectors import register_disclosure_grants
        from mingjing.security.reencrypt import register_sealed_columns

        register_sealed_columns(sealed_columns)
        register_disclosure_grants(granted_record_ids, grant_covering_id)
