"""一案一表: each handler's declaration per case, the printable forms for the case file, the
close-check and the missing-declarations report (DESIGN.md section 6)."""
