"""Small literal articles, written by code in the shapes real folders hold."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

PARAGRAPHS = [
    "President Vladimir Putin has dismissed suggestions that Russia could face war crimes "
    "charges over its bombardment of Syria's second city Aleppo.",
    'He told French media the accusations were "rhetoric" that did not take into account '
    "the realities in Syria.",
    "French President Francois Hollande had suggested Russian air strikes on Aleppo could "
    "amount to war crimes.",
    "The rebel-held east of the city is under renewed bombardment after a ceasefire deal "
    "broke down.",
    "Russia's Foreign Minister Sergei Lavrov will now meet his US counterpart John Kerry and "
    "other key regional powers in Switzerland on Saturday.",
    "On Wednesday, at least 15 people, including children, were killed in an air strike on a "
    "marketplace in a rebel-held part of the city, activists say.",
    "The strike was one of 25 in the rebel-held east on Wednesday that left a total of 25 "
    "people dead, they added.",
    "Since then, the bombardment has killed more than 300 people, according to the UK-based "
    "Syrian Observatory for Human Rights.",
]

# What a later version of the sample adds as the story develops: updates grow like this.
UPDATE_PARAGRAPHS = [
    "Later on Thursday, the Kremlin said President Putin had spoken by telephone with the "
    "German Chancellor Angela Merkel about the situation in Aleppo.",
    "A spokesman for the Russian defence ministry said its aircraft had not flown over the "
    "market area on Wednesday and called the reports of the strike a provocation.",
    "The United Nations envoy for Syria, Staffan de Mistura, warned that the eastern part of "
    "the city could be totally destroyed by the end of the year if the bombing continued.",
    "About 275,000 people are believed to be trapped in the besieged districts, where the "
    "last functioning hospitals have been hit repeatedly in recent weeks.",
    "Doctors in the east of the city said they were running out of blood supplies and "
    "anaesthetics, and that many of the wounded could not be treated.",
    "The French foreign minister said his country would ask the International Criminal Court "
    "to investigate whether war crimes had been committed in Aleppo.",
    "Western diplomats said they did not expect a breakthrough at the talks in Lausanne, "
    "but hoped to agree on a short pause in the fighting to allow aid deliveries.",
    "Turkey, Saudi Arabia and Qatar, which back some of the rebel groups, will also attend "
    "the meeting, along with Iran, a key ally of President Bashar al-Assad.",
    "Opposition activists in the city said government forces had also advanced on the "
    "northern edge of the rebel-held area overnight.",
    "Russia has vetoed a French draft resolution at the UN Security Council that demanded an "
    "immediate end to the air strikes on the city.",
]

OTHER_PARAGRAPHS = [
    "The mobile gaming industry is set to explode next year with a number of high-profile "
    "devices offering a range of gaming and other features such as movie playback.",
    "Market leader Nintendo is releasing a handheld console that it says will change the way "
    "people play games on the move.",
    "Analysts expect the new machines to sell millions of units before the end of the year, "
    "with prices starting at 99 pounds.",
    "Rival Sony has said its own device will arrive in Europe in the spring.",
]


@dataclass(frozen=True)
class Article:
    headline: str
    paragraphs: list[str]
    date_line: str | None = "13.10.2016"
    dateline: str | None = "BBC, 13 October 2016"
    trailer: str | None = "Kaynak/Source:"
    extra_lines: list[str] = field(default_factory=list)

    @classmethod
    def sample(cls) -> Article:
        return cls(
            "SYRIA CONFLICT: RUSSIAN WAR CRIMES CLAIM 'RHETORIC' SAYS PUTIN", list(PARAGRAPHS)
        )

    @classmethod
    def other(cls) -> Article:
        return cls(
            "Mobile gaming set to explode", list(OTHER_PARAGRAPHS), dateline="BBC, 2 January 2005"
        )

    def but(self, **changes: object) -> Article:
        return replace(self, **changes)  # type: ignore[arg-type]

    def from_outlet(self, outlet: str) -> Article:
        return self.but(dateline=f"{outlet}, 14 October 2016")

    def text(self, newline: str = "\n") -> str:
        lines = ["", self.headline, ""]
        for header in (self.date_line, self.dateline):
            if header is not None:
                lines += [header, ""]
        for paragraph in [*self.paragraphs, *self.extra_lines]:
            lines += [paragraph, ""]
        if self.trailer is not None:
            lines.append(self.trailer)
        return newline.join(lines)

    def write(self, folder: Path, name: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.text(newline).encode(encoding))
        return path


def bump_mtime(path: Path, seconds: int = 10) -> None:
    """Make a rewrite visible even on file systems with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


def distinct_articles(folder: Path, count: int, seed: int = 1) -> None:
    """``count`` articles that share no story: random sentences over a large vocabulary."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(20_000)]
    for n in range(count):
        paragraphs = [
            " ".join(rng.choice(vocabulary) for _ in range(25)).capitalize() + "." for _ in range(4)
        ]
        Article(f"Story number {n} {rng.choice(vocabulary)}", paragraphs).write(
            folder, f"{n // 100:03d}/{n:05d}.txt"
        )


_VOCABULARY_TEXT = (
    "council budget river harbour festival teacher bridge election museum farmer orchestra "
    "hospital railway library market college factory stadium theatre airport village court "
    "winter summer report plan vote price team match season project school police station "
    "garden tower island forest valley coast mountain county ministry agency company union "
    "announced approved delayed reopened expanded reduced opened closed planned launched "
    "local national regional new old large small early late quiet busy public private"
)
_VOCABULARY = _VOCABULARY_TEXT.split()


def distinct_story(seed: int, words: int = 120) -> list[str]:
    """A story of about ``words`` words that shares no passage with any other seed's: its
    sentences are drawn from a small vocabulary by a generator seeded with ``seed``."""
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        drawn = [rng.choice(_VOCABULARY) for _ in range(rng.randint(9, 14))]
        sentences.append(" ".join(drawn).capitalize() + ".")
    half = len(sentences) // 2
    return [" ".join(sentences[:half]), " ".join(sentences[half:])]
