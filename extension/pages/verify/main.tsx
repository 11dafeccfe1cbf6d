// Placeholder until the page lands.
document.getElementById('app')!.textContent = 'KýSố';
