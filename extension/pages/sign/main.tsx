import { render } from 'preact';
import { SignPage } from './sign-page.tsx';

render(<SignPage />, document.getElementById('app')!);
