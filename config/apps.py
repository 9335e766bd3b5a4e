from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "config"
    label = "config"
    verbose_name = "Project"

    def ready(self):
        from config import spreadsheets

        spreadsheets.install()
