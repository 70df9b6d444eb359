"""明镜 Mingjing: the record-and-report platform behind the three regulations."""
