"""What the model is: its name, its two official archives and their SHA-256, the files it
must hold (:data:`MANIFEST`) and the marker file an install leaves in it (:data:`MARKER`).
"""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.storage.paths import MODEL_NAME

__all__ = [
    "AAR_SHA256",
    "MANIFEST",
    "MARKER",
    "MAVEN_ARTIFACT",
    "MODEL_NAME",
    "ZIP_SHA256",
    "ZIP_SIZE",
    "ZIP_URL",
    "FileSpec",
]

MARKER = "INSTALLED_FROM"
ZIP_URL = f"https://alphacephei.com/vosk/models/{MODEL_NAME}.zip"
ZIP_SHA256 = "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
ZIP_SIZE = 41_205_931
MAVEN_ARTIFACT = "com.alphacephei:vosk-model-en:0.3.45:aar"
AAR_SHA256 = "8a5792fccaf873b4745dbd1b3fe19d8a77a15898e806674020eea820424771cd"


@dataclass(frozen=True)
class FileSpec:
    """The expected size and SHA-256 of one model file."""

    size: int
    sha256: str


MANIFEST: dict[str, FileSpec] = {
    "am/final.mdl": FileSpec(
        15_962_575, "75370a0137f9daf8f469dedd7daa4513ae7a621f03240c6e512e2b50b656a7b6"
    ),
    "conf/mfcc.conf": FileSpec(
        131, "1e2228006d01d805ad1c267fee9f79709ca87ac51bd82b0e3f5c69ba543f0fc4"
    ),
    "conf/model.conf": FileSpec(
        290, "8f14cb1eeb07c762c371db648c6be688d347236155ca0f64fb13b6567a8ce81f"
    ),
    "graph/Gr.fst": FileSpec(
        24_013_795, "023c8b7e30704a9e37765c635c252e608a02f361235bf94abdcf2a5225d85b20"
    ),
    "graph/HCLr.fst": FileSpec(
        22_416_994, "5caafba3081e1646545ac6bff0dd7a318e53dcbdc86f237909ce1d2ac1293d34"
    ),
    "graph/disambig_tid.int": FileSpec(
        102, "9ad87cc166d0998f08f758f47a6223a120dfffcbee805c4849c3aa5e6bb3c0fc"
    ),
    "graph/phones/word_boundary.int": FileSpec(
        1_761, "da199d9c991e0e84681ddbb34627b915b26302d50a8fdaa23c51e2bc3a50b5c3"
    ),
    "ivector/final.dubm": FileSpec(
        168_048, "8c5d7dd69d2122313baaf19f61f35dd3fa18b70c62ac0687e311e1c46e6daca7"
    ),
    "ivector/final.ie": FileSpec(
        8_288_887, "3f37faf90c375b9e4740b569398b5829ed9cc07d19be6d441f72c3b71d7efcc6"
    ),
    "ivector/final.mat": FileSpec(
        44_975, "ddd83586dc5f928cda8738b922c85ffe38fc789cb5f9151a712ca12f37265382"
    ),
    "ivector/global_cmvn.stats": FileSpec(
        1_080, "33be09afcc80059847a275c3d043b51f1ab954c7c2438ddbbf4745e8ba144ff9"
    ),
    "ivector/online_cmvn.conf": FileSpec(
        95, "a2f3571754b64297cb7efb2e7ca3df61995c5a45fcbb97188f90613552bb2dfe"
    ),
    "ivector/splice.conf": FileSpec(
        35, "9f0c5f7c82d18eaf25d8bce470efa9f7741f88411fe428774bc0a9bb69a24756"
    ),
}
"""Every file Vosk reads from the small English model, as shipped in both archives."""
