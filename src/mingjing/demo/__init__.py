"""The demo court behind `mingjing demo`: see `mingjing.demo.builder.build_demo`."""
