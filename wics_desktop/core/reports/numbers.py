"""The contract's rules for comparing a count with the book: accuracy and its colour band, the
value of a difference, and when a result is flagged for recount."""
from __future__ import annotations

from dataclasses import dataclass

from .. import params
from ..services.fields import as_number

number = as_number  # one rounding rule, under the name the reports use


@dataclass(frozen=True)
class Bands:
    danger: float
    warning: float
    success: float

    @classmethod
    def from_params(cls, values: dict[str, str]) -> Bands:
        # Parsed as floats ("98.5" is 98.5; the reference's isnumeric() made it 0).
        return cls(params.as_float(values, params.ACCURACY_DANGER),
                   params.as_float(values, params.ACCURACY_WARNING),
                   params.as_float(values, params.ACCURACY_SUCCESS))

    def band(self, accuracy: float | None) -> str | None:
        """danger below DANGER, else success above SUCCESS, else warning above WARNING."""
        if accuracy is None:
            return None
        if accuracy < self.danger:
            return "danger"
        if accuracy > self.success:
            return "success"
        if accuracy > self.warning:
            return "warning"
        return None


def accuracy(count_total: float, sap_total: float) -> float:
    """100 x min / max, rounded to 2 decimals; 100 when both are 0; negatives count as 0."""
    count, book = max(count_total, 0), max(sap_total, 0)
    high = max(count, book)
    if high == 0:
        return 100.0
    return round(100.0 * min(count, book) / high, 2)


# What a supervisor reads for each band (screen legend, paper legend, xlsx), not the code word.
BAND_WORDS = {"danger": "below danger", "warning": "warning", "success": "success",
              None: "no band"}


def band_words(band: str | None, bands: Bands) -> str:
    """Legend words with the thresholds: "below danger (< 90%)", "warning (> 95%)",
    "success (> 98.5%)", "no band (90-95%)"."""
    if band == "danger":
        return f"below danger (< {bands.danger:g}%)"
    if band == "warning":
        return f"warning (> {bands.warning:g}%)"
    if band == "success":
        return f"success (> {bands.success:g}%)"
    return f"no band ({bands.danger:g}-{bands.warning:g}%)"


def money(value: float | None, currency: str | None = None) -> str:
    """A value as the screens and the paper show it: 1,234.50 USD; a dash without a value."""
    if value is None:
        return "—"
    return f"{value:,.2f}" + (f" {currency}" if currency else "")


def unit_value(price: float | None, price_unit: int | float | None) -> float | None:
    """Price / price unit; a blank or 0 price unit counts as 1; None without a price."""
    if price is None:
        return None
    return float(price) / float(price_unit or 1)


def diff_value(diff: float, unit: float | None) -> float | None:
    """round(diff x unit value, 2); None without a unit value. Never -0.0."""
    if unit is None:
        return None
    return round(diff * unit, 2) + 0.0


@dataclass(frozen=True)
class RecountRule:
    below_accuracy: float = 90.0
    above_value: float = 1000.0  # 0 = off

    @classmethod
    def from_params(cls, values: dict[str, str]) -> RecountRule:
        return cls(params.as_float(values, params.RECOUNT_BELOW_ACCURACY),
                   params.as_float(values, params.RECOUNT_ABOVE_VALUE))

    def flag(self, accuracy_: float | None, value: float | None, approved: bool) -> bool:
        """A counted result needs a recount when it is not accurate enough or its difference
        is worth too much, unless a supervisor approved it."""
        if approved:
            return False
        if accuracy_ is not None and accuracy_ < self.below_accuracy:
            return True
        return bool(self.above_value > 0 and value is not None and abs(value) > self.above_value)

    def why(self, accuracy_: float | None, value: float | None) -> str:
        """Why a result is flagged, in words ('accuracy 75% < 90%; |value| 1,200.00 > 1,000')."""
        bits = []
        if accuracy_ is not None and accuracy_ < self.below_accuracy:
            bits.append(f"accuracy {accuracy_:g}% < {self.below_accuracy:g}%")
        if self.above_value > 0 and value is not None and abs(value) > self.above_value:
            bits.append(f"|value| {abs(value):,.2f} > {self.above_value:,.2f}")
        return "; ".join(bits)
