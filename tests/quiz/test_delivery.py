"""Delivery feedback from word timings: pace, filler words, long pauses."""

from quiz.delivery import analyse_delivery


def _words(
    text: str, *, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None
) -> list[dict]:
    words, t = [], start
    for i, word in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append({"word": word, "start": round(t, 2), "end": round(t + step - 0.05, 2)})
        t += step
    return words


def test_pace_is_words_per_minute_over_the_speaking_time():
    steady = analyse_delivery(_words("one two three four five six seven eight nine ten", step=0.4))
    hurried = analyse_delivery(_words("one two three four five six seven eight nine ten", step=0.3))

    assert (steady.words, steady.speaking_seconds) == (10, 3.95)
    assert steady.words_per_minute == round(60 * 10 / 3.95, 1)
    assert steady.feedback[0] == "152 words per minute is a comfortable pace."
    assert hurried.feedback[0] == "203 words per minute is fast; slow down so each point lands."


def test_fillers_are_counted_including_phrases_but_not_content_like():
    text = "Um so the model uh looks like a transducer you know and um it is like really fast"

    delivery = analyse_delivery(_words(text, step=0.35))

    assert delivery.fillers == {"um": 2, "so": 1, "uh": 1, "you know": 1, "like": 1}
    assert delivery.filler_count == 6


def test_pauses_longer_than_a_second_are_listed():
    words = _words("CTC needs a blank token to align frames", gaps={3: 1.6, 6: 0.8})

    delivery = analyse_delivery(words)

    assert [(p.after_word, p.seconds) for p in delivery.pauses] == [("a", 1.65)]
    assert any("1 pause over 1 s" in line for line in delivery.feedback)


def test_punctuation_and_case_in_asr_words_are_ignored():
    words = [{"word": " Um,", "start": 0.0, "end": 0.3}, {"word": " Whisper.", "start": 0.4, "end": 0.9}]

    assert analyse_delivery(words).fillers == {"um": 1}


def test_no_words_gives_a_clear_note():
    delivery = analyse_delivery([])

    assert (delivery.words, delivery.words_per_minute, delivery.pauses) == (0, 0.0, ())
    assert delivery.feedback == ("Too few words were recognised to judge delivery.",)
