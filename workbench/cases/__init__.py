"""Cases (zaken): reference, phase and parallel tracks, urgency and legal deadlines."""
