"""The offline judge: rule-based labels, tactic tags and strategist signals, no network."""

from coach.evaluation.offline.judge import OfflineJudge
from coach.evaluation.offline.red_lines import compile_red_lines, find_breaches
from coach.evaluation.offline.tactics import tag_tactics

__all__ = ["OfflineJudge", "compile_red_lines", "find_breaches", "tag_tactics"]
