"""Find, install and verify the offline Vosk speech model (vosk-model-small-en-us-0.15).

Not part of the speech-in flow: this is the model on disk, before anything loads it.
Two official sources, tried in order: Alpha Cephei's zip (checked by SHA-256) and the
Maven Central artifact ``com.alphacephei:vosk-model-en`` (an Android archive holding the
same model under ``assets/model-en-us/``), fetched with ``mvn``. Installs are atomic:
the model is unpacked into a temporary folder beside the target, verified against
:data:`MANIFEST`, then renamed into place; a failed or interrupted install leaves nothing
(a temporary folder left by a killed install is removed by the next one, and ``mvn`` dies
with the installer). An install only ever replaces nothing, an empty folder, or a model
this installer put there (it has the :data:`MARKER` file): a user's file or folder at the
target is refused with :class:`TargetInUse`, even with ``force``.

One job per module:

- :mod:`.manifest`: what the model is: name, archives and their SHA-256, expected files.
- :mod:`.errors`: the errors, each with a message for people.
- :mod:`.locate`: where the model is (``--model``, ``$VOICECOACH_MODEL``, the default).
- :mod:`.verify`: a model folder checked against the manifest; the install marker.
- :mod:`.archive`: safe extraction of the model folder from a zip or aar.
- :mod:`.sources`: where the archive comes from (the zip over HTTP, Maven Central).
- :mod:`.child_process`: ``mvn`` dies with voicecoach.
- :mod:`.reporting`: the progress and phase callbacks.
- :mod:`.install`: the atomic install (staging, marker, moving into place).

The names most callers need are importable from the package itself.
"""

from __future__ import annotations

from voicecoach.model_store.archive import extract_model
from voicecoach.model_store.child_process import die_with_parent
from voicecoach.model_store.errors import (
    InstallFailed,
    ModelError,
    ModelInvalid,
    ModelMissing,
    SourceFailed,
    TargetInUse,
    UnsafeArchive,
)
from voicecoach.model_store.install import install_model
from voicecoach.model_store.locate import (
    ENV_VAR,
    default_model_dir,
    find_model,
    resolve_model_path,
    structure_problems,
)
from voicecoach.model_store.manifest import (
    AAR_SHA256,
    MANIFEST,
    MARKER,
    MAVEN_ARTIFACT,
    MODEL_NAME,
    ZIP_SHA256,
    ZIP_URL,
    FileSpec,
)
from voicecoach.model_store.sources import MavenSource, Source, ZipSource, http_fetch
from voicecoach.model_store.verify import read_marker, verify_model

__all__ = [
    "AAR_SHA256",
    "ENV_VAR",
    "MANIFEST",
    "MARKER",
    "MAVEN_ARTIFACT",
    "MODEL_NAME",
    "ZIP_SHA256",
    "ZIP_URL",
    "FileSpec",
    "InstallFailed",
    "MavenSource",
    "ModelError",
    "ModelInvalid",
    "ModelMissing",
    "Source",
    "SourceFailed",
    "TargetInUse",
    "UnsafeArchive",
    "ZipSource",
    "default_model_dir",
    "die_with_parent",
    "extract_model",
    "find_model",
    "http_fetch",
    "install_model",
    "read_marker",
    "resolve_model_path",
    "structure_problems",
    "verify_model",
]
