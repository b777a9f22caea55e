// The demo takes its token from the URL fragment (#token=…) or the form, and never stores it.
const inbox = document.getElementById('inbox');
const field = document.getElementById('token');
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) {
  field.value = fromHash;
  inbox.setAttribute('token', fromHash);
}
document.getElementById('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  inbox.setAttribute('token', field.value.trim());
});
