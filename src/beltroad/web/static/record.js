// Corrections from a record page: PATCH /api/records/{id} with the editor's token (kept in this
// browser's localStorage only), the changed fields and the citation the change rests on.
"use strict";

const form = document.getElementById("edit");
if (form) {
  const token = form.elements.token;
  token.value = localStorage.getItem("beltroad-token") || "";
  const result = document.getElementById("edit-result");
  async function send(url, method, payload) {
    localStorage.setItem("beltroad-token", token.value.trim());
    const response = await fetch(url, {
      method, headers: { "content-type": "application/json", authorization: "Bearer " + token.value.trim() }, body: JSON.stringify(payload),
    });
    const body = await response.json();
    if (!response.ok) { result.textContent = `Not saved (${body.status}): ${body.error}`; return; }
    result.textContent = "Saved.";
    location.reload();
  }
  function citation() {
    const c = { source: form.elements.source.value.trim() };
    for (const key of ["section", "entry"]) if (form.elements[key].value.trim()) c[key] = form.elements[key].value.trim();
    for (const key of ["paragraph", "page"]) if (form.elements[key].value.trim()) c[key] = Number(form.elements[key].value);
    return c.source ? c : null;
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let changes;
    try { changes = JSON.parse(form.elements.changes.value); } catch (error) { result.textContent = "The fields are not valid JSON: " + error.message; return; }
    await send(`/api/records/${encodeURIComponent(form.dataset.id)}`, "PATCH", { changes, citation: citation(), note: form.elements.note.value || null });
  });
  document.getElementById("retire").addEventListener("click", async () => {
    if (!confirm("Retire this record? It leaves lists, the map and search; its page and history stay.")) return;
    await send(`/api/records/${encodeURIComponent(form.dataset.id)}/retire`, "POST", { citation: citation(), note: form.elements.note.value || null });
  });
}
