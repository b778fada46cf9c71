"""Numbers and durations as words a narrator can say."""

from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_word(n: int) -> str:
    """``n`` in words, for 0 <= n < 1000 (digits beyond that)."""
    if n < 0 or n >= 1000:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {number_word(rest)}" if rest else "")


def counted(count: int, noun: str) -> str:
    """``count`` in digits and ``noun``, plural unless there is one: "1 exercise",
    "3 exercises", "0 lines"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def and_list(words: list[str]) -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def duration_words(seconds: float) -> str:
    """A duration as spoken: "one minute", "two minutes", "a minute and a half", "45 seconds"."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if minutes and rest == 30:
        if minutes == 1:
            return "a minute and a half"
        return f"{number_word(minutes)} and a half minutes"
    if minutes and not rest:
        return f"{number_word(minutes)} minute" + ("s" if minutes > 1 else "")
    if minutes and whole >= 120:
        return f"{number_word(minutes)} minutes"
    return f"{number_word(whole)} second" + ("" if whole == 1 else "s")
