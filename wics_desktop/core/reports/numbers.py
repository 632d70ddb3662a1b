"""The contract's rules for comparing a count with the book: accuracy and its colour band."""
from __future__ import annotations

from dataclasses import dataclass

from .. import params
from ..services.fields import as_number as number  # noqa: F401 - one rounding rule


@dataclass(frozen=True)
class Bands:
    danger: float
    warning: float
    success: float

    @classmethod
    def from_params(cls, values: dict[str, str]) -> "Bands":
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
