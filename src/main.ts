import './ui/lab-app';
