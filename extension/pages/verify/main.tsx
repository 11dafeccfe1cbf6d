import { render } from 'preact';
import { VerifyPage } from './verify-page.tsx';
import './verify-page.css';

render(<VerifyPage />, document.getElementById('app')!);
