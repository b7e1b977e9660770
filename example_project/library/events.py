"""The library's own events, beyond the model events dash emits by itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash.events import Event


@dataclass
class LoanReturned(Event):
    """A borrowed book came back; librarians who may view loans see it live."""

    name = "library.loan.returned"
    broadcast = True
    # Readable by staff with library.view_loan: see DASH["CHANNELS"].
    channel = "loans"

    loan_id: int
    book: str
    member: str
    late_days: int

    def to_payload(self) -> dict[str, Any]:
        late = f", {self.late_days} days late" if self.late_days > 0 else ""
        # dash-wire.js shows a payload's "message" as a toast.
        return {
            **super().to_payload(),
            "message": f"{self.member} returned “{self.book}”{late}",
        }
