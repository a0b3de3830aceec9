// The review page: each decision is a POST /api/candidates/{id}/decision with the editor's token
// (kept in this browser only, as on record pages); the row says what became of the candidate.
"use strict";

const tokenField = document.querySelector("#review-token input[name=token]");
tokenField.value = localStorage.getItem("beltroad-token") || "";
tokenField.addEventListener("change", () => localStorage.setItem("beltroad-token", tokenField.value.trim()));

for (const button of document.querySelectorAll("button[data-decision]")) {
  button.addEventListener("click", async () => {
    const row = button.closest("tr");
    const outcome = row.querySelector(".outcome");
    const payload = { decision: button.dataset.decision };
    for (const name of ["measure", "subject", "kind", "as_of"]) {
      const input = row.querySelector(`input[name=${name}]`);
      if (input && input.value.trim()) payload[name] = input.value.trim();
    }
    outcome.textContent = " …";
    try {
      const response = await fetch(`/api/candidates/${row.dataset.id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer " + tokenField.value.trim() },
        body: JSON.stringify(payload),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      outcome.textContent = ` ${body.decision}ed` + (body.record ? ` → ${body.record}` : "");
      for (const b of row.querySelectorAll("button")) b.disabled = true;
    } catch (error) {
      outcome.textContent = " not done: " + error.message;
    }
  });
}

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
