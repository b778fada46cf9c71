"""The small subcommands' handlers: check, routines, voices, history, export, import.

Each takes its options object and returns an :class:`ExitStatus`; heavy modules are
imported when the handler runs.
"""

from __future__ import annotations

import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from voicecoach.cli.options import CheckOptions, ExportOptions, ImportOptions
from voicecoach.cli.outputs import (
    check_folder,
    check_not_a_folder,
    check_output,
)
from voicecoach.cli.status import ExitStatus, UsageError
from voicecoach.core.commands import command_word_note
from voicecoach.core.routine_rules import RoutineError
from voicecoach.core.session import Session
from voicecoach.core.words import counted
from voicecoach.speech_out.errors import SpeechUnavailable
from voicecoach.storage.routine_files import builtin_names, resolve_routine

MAX_LINES_NAMED = 5
"""Damaged history lines ``history`` names one by one; the rest it counts."""


def check_routine(options: CheckOptions, out: TextIO) -> ExitStatus:
    """``voicecoach check ROUTINE...``: validate each; print a one-line verdict, then a note
    on each line the narrator would read that says a spoken command. A broken one gets a
    line on stderr for each of its problems that do not follow from another (the first of
    the routine's own fields and of each exercise, and each name an earlier exercise has),
    and the others are still checked (exit status 2 if any)."""
    status = ExitStatus.OK
    for given in options.routines:
        try:
            routine = resolve_routine(given)
        except RoutineError as error:
            for problem in (error, *error.others):
                print(f"voicecoach: {problem}", file=sys.stderr)
            status = ExitStatus.BAD_INPUT
            continue
        seconds = Session(routine, 0.0).total_seconds()
        count, minutes = len(routine.exercises), int(seconds / 60 + 0.5)
        length = counted(minutes, "minute") if minutes else counted(round(seconds), "second")
        out.write(f"{given}: ok — {routine.title}: {counted(count, 'exercise')}, "
                  f"about {length}\n")
        for exercise in routine.exercises:
            for where, text in exercise.read_aloud():
                found = command_word_note(text)
                if found is not None:
                    out.write(f"  note: {exercise.name}, {where} {found}\n")
    return status


def list_routines(out: TextIO) -> ExitStatus:
    """``voicecoach routines``: built-in routines with exercise count and duration."""
    for name in builtin_names():
        routine = resolve_routine(name)
        minutes = Session(routine, 0.0).total_seconds() / 60
        out.write(f"{name:<12} {counted(len(routine.exercises), 'exercise')}  "
                  f"~{minutes:.0f} min  {routine.title}\n")
    return ExitStatus.OK


def list_voices(out: TextIO) -> ExitStatus:
    """``voicecoach voices``: the narrator profiles, each whose espeak-ng voice is not
    installed marked as such (export and run refuse it)."""
    from voicecoach.speech_out.espeak import selectable_voices, unknown_voice, voice_known
    from voicecoach.speech_out.profiles import scan_voices
    from voicecoach.storage.paths import voices_dirs

    profiles, problems = scan_voices()
    try:
        installed = selectable_voices()
    except SpeechUnavailable as error:
        print(f"voicecoach: the profiles' voices are not checked: {error}", file=sys.stderr)
        installed = None
    users, *shipped = voices_dirs()
    unusable = []
    for profile in profiles:
        marks = []
        if profile.source is not None and profile.source.parent == users:
            replaces = any((folder / f"{profile.name}.toml").is_file() for folder in shipped)
            marks.append("yours, in place of the shipped one" if replaces else "yours")
        if installed is not None and not voice_known(profile.espeak_voice, installed):
            marks.append(f"espeak-ng has no voice {profile.espeak_voice!r}")
            unusable.append(unknown_voice(profile, installed))
        mark = f" ({'; '.join(marks)})" if marks else ""
        out.write(f"{profile.name:<10} {profile.description}{mark}\n")
    out.write(f"\nYour own profiles go in {users}/ (NAME.toml; one named as a shipped "
              "profile takes its place).\n")
    for problem in [*problems, *unusable]:  # the good ones are listed all the same
        print(f"voicecoach: not usable: {problem}", file=sys.stderr)
    return ExitStatus.BAD_INPUT if problems or unusable else ExitStatus.OK


def show_history(out: TextIO, *, chart: bool = False, now: datetime | None = None,
                 width: int | None = None) -> ExitStatus:
    """``voicecoach history [--chart]``: past sessions, newest last, then the totals; with
    ``chart``, the calendar of the last weeks, minutes per week and how often each
    exercise was done easier.

    ``now`` (aware; default: the local time) decides today and the days sessions fall on;
    ``width`` the charts' width (default: the terminal's, at most 100 columns).
    """
    import shutil

    from voicecoach.cli.resume import set_aside_outdated, unfinished_line
    from voicecoach.frontends.progress_charts import (
        EASIER_TITLE,
        chart_text,
        draw_easier_per_exercise,
        draw_minutes_per_week,
        easier_chart_height,
        easier_note,
        minutes_title,
    )
    from voicecoach.frontends.progress_text import calendar_lines, session_lines, totals_line
    from voicecoach.storage.history_stats import progress_report
    from voicecoach.storage.progress import History, ProgressStore

    history = History()
    entries, skipped = history.read()
    for line, why in skipped[:MAX_LINES_NAMED]:  # a damaged line is left alone, and said
        print(f"voicecoach: {history.path}:{line}: {why}; left out", file=sys.stderr)
    if len(skipped) > MAX_LINES_NAMED:
        more = len(skipped) - MAX_LINES_NAMED
        print(f"voicecoach: {history.path}: {counted(more, 'more line')} "
              "could not be read as a session and left out", file=sys.stderr)
    progress = ProgressStore()
    for outdated in set_aside_outdated(progress):  # never offered again; said once
        print(f"voicecoach: {outdated}", file=sys.stderr)
    unfinished = unfinished_line(progress)
    if not entries:
        out.write("No sessions yet.\n")
        if unfinished:
            out.write(f"{unfinished}\n")
        return ExitStatus.OK
    now = now or datetime.now().astimezone()
    tz = now.tzinfo or UTC
    report = progress_report(entries, now)
    for entry in entries:
        out.write("".join(line + "\n" for line in session_lines(entry, tz)))
    out.write(f"\n{totals_line(report)}\n")
    if unfinished:
        out.write(f"{unfinished}\n")
    if not chart:
        return ExitStatus.OK
    colour = out.isatty()
    width = width or min(100, shutil.get_terminal_size((80, 24)).columns)
    out.write("\nDays you stretched\n")
    out.write("".join(line + "\n" for line in calendar_lines(report.calendar, colour=colour)))
    out.write(f"\n{minutes_title(report.weeks)}\n")
    out.write(chart_text(lambda plt: draw_minutes_per_week(plt, report.weeks, "green"),
                         width, 12, colour=colour) + "\n")
    out.write(f"\n{EASIER_TITLE}\n")
    note = easier_note(report.exercises)
    if note is None:
        height = easier_chart_height(len(report.exercises),
                                     3 if len(report.exercises) <= 8 else 1)
        out.write(chart_text(lambda plt: draw_easier_per_exercise(plt, report.exercises,
                                                                  "orange"),
                             width, height, colour=colour) + "\n")
    else:
        out.write(f"{note}\n")
    return ExitStatus.OK


def export_session(options: ExportOptions) -> ExitStatus:
    """``voicecoach export``: render the whole session to ``options.out``."""
    from voicecoach.drivers.export import render_session
    from voicecoach.speech_out.espeak import check_speakable
    from voicecoach.speech_out.profiles import load_voice

    check_not_a_folder(options.out, example=options.out / f"{Path(options.routine).stem}.wav")
    if options.out.suffix.lower() != ".wav":
        raise UsageError(_wav_wanted(options.out))
    check_output(options.out, force=options.force, what="export")
    check_folder(options.out)
    routine = resolve_routine(options.routine, **options.session.routine_overrides())
    profile = load_voice(options.session.voice)
    check_speakable(profile)
    print(f"Rendering {routine.title} with the {profile.name} voice…", file=sys.stderr)
    placed = render_session(routine, profile, options.out)
    minutes = (placed[-1].end if placed else 0) / 60
    print(f"Wrote {options.out}: {counted(len(placed), 'line')}, {minutes:.1f} minutes.",
          file=sys.stderr)
    return ExitStatus.OK


COMPRESSED_AUDIO = (".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".aac")
"""Audio a person may ask export for, made from its WAV afterwards."""


def _wav_wanted(out: Path) -> str:
    """Why ``out`` is no name for export's WAV, and the command that would do."""
    suffix = out.suffix.lower()
    if suffix == ".toml" or str(out) in builtin_names():
        routine = str(out)
        wav = Path(f"{out.stem}.wav")
        return (f"{out}: names a routine, not the WAV to write; give both: "
                f"voicecoach export {shlex.quote(routine)} {shlex.quote(str(wav))}")
    wav = out.with_suffix(".wav") if suffix else Path(f"{str(out).rstrip('.')}.wav")
    if suffix in COMPRESSED_AUDIO:
        return (f"{out}: export writes WAV audio only; write {wav} and convert it "
                f"(e.g. ffmpeg -i {shlex.quote(str(wav))} {shlex.quote(str(out))})")
    return f"{out}: export writes WAV audio, so OUT must end in .wav: e.g. {wav}"


def import_routine(options: ImportOptions) -> ExitStatus:
    """``voicecoach import ARTICLE``: write the article's routine, say what was guessed."""
    from voicecoach.authoring import (
        ArticleFileError,
        NoExercisesError,
        import_article,
        read_article_file,
    )

    article = options.article
    try:
        article.stat()  # a symbolic link loop: that OSError, not "no such"
    except FileNotFoundError:
        raise UsageError(f"{article}: no such file") from None
    if not article.is_file():
        raise UsageError(f"{article}: not a regular file")
    try:
        text = read_article_file(article)  # not text, whatever its size; then too large
        result = import_article(text, article.name)
    except (ArticleFileError, NoExercisesError) as error:
        raise UsageError(str(error)) from None
    out = options.out or Path(f"{result.name}.toml")
    check_output(out, force=options.force, inputs=[article], what="import")
    check_folder(out)
    out.write_text(result.toml, encoding="utf-8")
    print(result.report(), file=sys.stderr)
    print(f"Wrote {out}. Check it, then: voicecoach run {out}", file=sys.stderr)
    return ExitStatus.OK
