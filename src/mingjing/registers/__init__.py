"""Registers (台账), started empty by issue 9.3 so that the registers issue builds here.

What it will hold, each a model with services and selectors over the policy module like the
other apps (DESIGN.md section 6):

* pledges (承诺书): each person's signed undertaking under the 三个规定, per year;
* relatives and conflicts (近亲属从业及回避): relatives who practise law or run businesses
  before the court, and the conflicts of interest they create for case assignment. The
  relatives register of records/special* (SpecialReportKind.RELATIVES) stays in records for
  now and moves here with that issue;
* former staff (离任人员): people who left the court and now act as lawyers or agents before
  it, with the dates that limit them;
* committee briefings (党组/审委会通报): what the court's leadership committee was told, when,
  and on which records.

It sits in the same layer as oversight and reporting: it may use records and cases, and
nothing below it imports it.
"""
