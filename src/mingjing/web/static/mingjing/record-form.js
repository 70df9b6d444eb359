// The recording form, progressively enhanced; it works the same without this file.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.record-form");
  if (!form) return;
  const noCase = form.querySelector("#id_not_about_a_case");
  const caseInput = form.querySelector("#id_case_numbers");
  const offHours = form.querySelector("#id_off_hours_contact");
  const lateReason = form.querySelector("#id_late_reason");

  const syncCase = () => {
    if (noCase && caseInput) caseInput.disabled = noCase.checked;
  };
  const syncLate = () => {
    if (offHours && lateReason) lateReason.closest("p").hidden = !offHours.checked;
  };
  noCase?.addEventListener("change", syncCase);
  offHours?.addEventListener("change", syncLate);
  syncCase();
  syncLate();

  // One tap, one request: a second tap while the first is on its way does nothing.
  form.addEventListener("submit", (event) => {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
  });
});
