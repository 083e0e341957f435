from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "peerwork.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from peerwork.accounts.models import Role
        from peerwork.core.navigation import NavItem, register

        register(
            NavItem("evaluation:dashboard", _("Evaluation"), frozenset({Role.MANAGER, Role.COORDINATOR}), order=50)
        )
        register(
            NavItem(
                "evaluation:pulse",
                _("Pulse survey"),
                frozenset(
                    {
                        Role.PEER_WORKER,
                        Role.SENIOR_PEER_WORKER,
                        Role.PROFESSIONAL,
                        Role.MANAGER,
                        Role.COORDINATOR,
                    }
                ),
                order=52,
            )
        )

        from peerwork.demo.seed import EXTENSIONS

        from .demo import seed_evaluation

        if seed_evaluation not in EXTENSIONS:
            EXTENSIONS.append(seed_evaluation)

        from peerwork.demo.generate import GENERATORS

        from .generate import from_generated

        if from_generated not in GENERATORS:
            GENERATORS.append(from_generated)
