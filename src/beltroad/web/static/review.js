// The review page: each decision is a POST /api/candidates/{id}/decision with the editor's token
// (kept in this browser only, as on record pages); the row says what became of the candidate.
"use strict";

const tokenField = document.querySelector("#review-token input[name=token]");
tokenField.value = localStorage.getItem("beltroad-token") || "";
tokenField.addEventListener("change", () => localStorage.setItem("beltroad-token", tokenField.value.trim()));

// A row stands for every mention of the same thing in one document: its decision is sent for
// each of them, and the row says how many were decided.
async function decideRow(row, decision) {
  const outcome = row.querySelector(".outcome");
  const payload = { decision };
  for (const name of ["measure", "subject", "kind", "as_of"]) {
    const input = row.querySelector(`input[name=${name}]`);
    if (input && input.value.trim()) payload[name] = input.value.trim();
  }
  const ids = (row.dataset.ids || row.dataset.id).split(",");
  outcome.textContent = " …";
  let done = 0;
  let record = null;
  try {
    for (const id of ids) {
      const response = await fetch(`/api/candidates/${id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer " + tokenField.value.trim() },
        body: JSON.stringify(payload),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      done += 1;
      record = body.record || record;
    }
    outcome.textContent = ` ${decision}ed${ids.length > 1 ? ` (${done})` : ""}` + (record ? ` → ${record}` : "");
    for (const b of row.querySelectorAll("button")) b.disabled = true;
    row.classList.add("decided");
  } catch (error) {
    outcome.textContent = ` not done${done ? ` after ${done}` : ""}: ` + error.message;
  }
}

for (const button of document.querySelectorAll("button[data-decision]")) {
  button.addEventListener("click", () => decideRow(button.closest("tr"), button.dataset.decision));
}

// a accept, r reject, j / k the next and previous row (not while typing in a field)
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  const rows = [...document.querySelectorAll("table.review tbody tr")];
  const row = event.target.closest("tr[data-id]");
  const at = rows.indexOf(row);
  if (event.key === "j" || event.key === "k") {
    const next = rows[Math.min(rows.length - 1, Math.max(0, at + (event.key === "j" ? 1 : -1)))];
    if (next) { next.focus(); event.preventDefault(); }
  } else if (row && (event.key === "a" || event.key === "r")) {
    decideRow(row, event.key === "a" ? "accept" : "reject");
    event.preventDefault();
  }
});

// An edit corrects the candidate before the decision: "value=2017; places=Chongqing,Minsk Oblast".
for (const button of document.querySelectorAll("button[data-edit]")) {
  button.addEventListener("click", async () => {
    const row = button.closest("tr");
    const outcome = row.querySelector(".outcome");
    const changes = {};
    for (const part of row.querySelector("input[name=edit]").value.split(";")) {
      const at = part.indexOf("=");
      if (at > 0) changes[part.slice(0, at).trim()] = part.slice(at + 1).trim();
    }
    outcome.textContent = " …";
    try {
      const response = await fetch(`/api/candidates/${row.dataset.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: "Bearer " + tokenField.value.trim() },
        body: JSON.stringify({ changes }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      outcome.textContent = " edited; accept or reject it now";
    } catch (error) {
      outcome.textContent = " not edited: " + error.message;
    }
  });
}
