"""The two looks: a calm dark theme and a high-contrast one for bright rooms or weak eyes."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="voicecoach-dark",
    primary="#4AA3FF",
    secondary="#2D6DB5",
    accent="#FFB347",
    warning="#FFB347",
    error="#FF6B6B",
    success="#5FD787",
    foreground="#E8E8E8",
    background="#11151A",
    surface="#181E25",
    panel="#232B35",
    dark=True,
)

THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "divider": "#3A4654",  # the line between the step and the side panel, a quiet one
    "meter-track": "#4B5B6D",  # the level meter's empty part
}
"""The app's own style variables (``$divider``, ``$meter-track``) as the dark theme has
them."""

HIGH_CONTRAST = Theme(
    name="voicecoach-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF5F5F",
    success="#00FF5F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#303030",
    dark=True,
    text_alpha=1.0,
    variables={
        "text-muted": "#E0E0E0",
        "text-disabled": "#A8A8A8",
        "footer-description-foreground": "#FFFFFF",
        "divider": "#B0B0B0",  # lines and the level meter's track readable on black
        "meter-track": "#808080",
    },
)

THEMES: dict[str, Theme] = {"dark": DARK, "high-contrast": HIGH_CONTRAST}
"""The themes by the name the CLI's --theme takes."""
