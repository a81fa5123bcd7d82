"""The OpenAI-compatible stub server lives in the package (`coach bench` uses it too)."""

from coach.llm.stub_server import (
    Action,
    Call,
    Delay,
    Raw,
    Status,
    StubServer,
    Text,
    main,
    to_action,
)

__all__ = ["Action", "Call", "Delay", "Raw", "Status", "StubServer", "Text", "main", "to_action"]

if __name__ == "__main__":
    main()
