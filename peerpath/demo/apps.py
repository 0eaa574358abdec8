from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "peerpath.demo"
    label = "demo"
    verbose_name = "Demo agency"
