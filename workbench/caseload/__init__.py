"""Caseload review: figures per handler and team, the cases behind them, handover summaries and reports."""
