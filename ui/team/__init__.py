"""The Team page: a team lead's review of the handlers' caseloads, drill-down, reassignment and handover."""
