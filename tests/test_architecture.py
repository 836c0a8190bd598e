"""The layering rules of docs/architecture.md that import-linter cannot see.

import-linter reads every import, including those inside functions; the rule is about
import time: loading the models (what `django.setup()` does before any app's `ready()`)
must not load any view, form, admin screen, hook or URL module of a capability. Checked in
a fresh interpreter, at the moment Django hands over to `ConsultationsConfig.ready()`
(Wagtail later imports every `wagtail_hooks` module on its own).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
import consultations.apps

loaded = []
ready = consultations.apps.ConsultationsConfig.ready

def snapshot_then_ready(self):
    loaded.extend(name for name in sys.modules if name.startswith("consultations."))
    ready(self)

consultations.apps.ConsultationsConfig.ready = snapshot_then_ready
django.setup()
print(json.dumps(sorted(loaded)))
"""

SCREEN_MODULES = ("views", "forms", "admin", "wagtail_hooks", "urls", "feeds", "panels")


def test_loading_the_models_loads_no_view_form_or_admin_module():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PORTAL_TESTING": "1", "DEBUG": "1"},
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "consultations.hearings.models" in loaded
    screens = [name for name in loaded if name.rsplit(".", 1)[-1] in SCREEN_MODULES]
    assert screens == []


def test_every_capability_has_its_models_and_a_package_docstring():
    for capability in (
        "communities",
        "consultation_pages",
        "suggestions",
        "hearings",
        "polls",
        "outcomes",
    ):
        package = ROOT / "consultations" / capability
        assert (package / "models.py").exists(), capability
        init = (package / "__init__.py").read_text()
        assert init.startswith('"""'), capability
